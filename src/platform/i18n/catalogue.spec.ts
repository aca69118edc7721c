import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { projectRoot } from '../../config/paths.js';
import { readManifest } from '../../registry/sector-manifest.js';
import { argumentMismatch, argumentsOf, parseMessage, PARSE_OPTIONS } from './icu.js';
import {
  coreCatalogues,
  hasMessage,
  isMessageKey,
  registerSectorMessages,
  t,
  tDynamic,
} from './i18n.js';

const { id, en } = coreCatalogues;

/** How messages were filled before ICU: each `{name}` replaced, an unknown one left as it is. */
const beforeIcu = (template: string, params: Record<string, unknown>) =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );

function hbsFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.hbs'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('the message catalogues', () => {
  it('have the same keys in both languages', () => {
    expect(Object.keys(en).filter((key) => !(key in id))).toEqual([]);
    expect(Object.keys(id).filter((key) => !(key in en))).toEqual([]);
  });

  it('hold only valid ICU messages, with the same arguments in both languages', () => {
    const problems: string[] = [];
    for (const key of Object.keys(id)) {
      for (const [lang, text] of [
        ['id', id[key]],
        ['en', en[key]],
      ]) {
        try {
          new IntlMessageFormat(text, lang, undefined, PARSE_OPTIONS);
        } catch (error) {
          problems.push(`${lang} ${key}: ${(error as Error).message}`);
        }
      }
      if (!problems.length) {
        const mismatch = argumentMismatch(id[key], en[key]);
        if (mismatch) problems.push(`${key}: ${mismatch}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('say, for every plain message, exactly what the `{name}` placeholders said before ICU', () => {
    for (const lang of ['id', 'en'] as const) {
      for (const [key, text] of Object.entries(coreCatalogues[lang])) {
        const args = argumentsOf(parseMessage(text));
        // Plurals and ICU quoting ('{…}') are ICU on purpose: checked one by one below.
        if ([...args.values()].some((kind) => kind !== 'text') || /'[{}'#|]/.test(text)) continue;
        const params = Object.fromEntries([...args.keys()].map((name, i) => [name, `v${i}'`]));
        expect([key, tDynamic(lang, key, params)]).toEqual([key, beforeIcu(text, params)]);
        expect([key, tDynamic(lang, key)]).toEqual([key, beforeIcu(text, {})]);
      }
    }
  });

  it('keep apostrophes, quotes and numbers as they were', () => {
    expect(t('en', 'errors.access.candidate_unplaced')).toBe(
      "This candidate's position belongs to no sector; an admin decides for them",
    );
    expect(t('en', 'manage.minStudyPercent')).toBe("Share of the lesson's minutes (%)");
    expect(t('id', 'errors.sector.unknown', { key: 'hutan' })).toBe(
      'Sektor "hutan" tidak terdaftar',
    );
    expect(t('en', 'errors.auth.throttled', { seconds: 1500 })).toBe(
      'Too many login attempts; try again in 1500 seconds',
    );
    expect(t('en', 'dashboard.welcome', { name: "O'Neil {x}" })).toBe("Welcome, O'Neil {x}.");
    expect(t('id', 'errors.position.invalid.items')).toBe(
      'Kirim daftar items: [{ competencyCode, level }]',
    );
    expect(t('id', 'errors.position.in_use', { holders: 3 })).toBe(
      'Jabatan ini masih dipegang 3 pegawai',
    );
    expect(t('en', 'errors.position.in_use', { holders: 1 })).toBe(
      'This position is still held by 1 employee',
    );
    expect(t('en', 'errors.attempt.limit', { max: 2 })).toBe(
      'The limit of 2 attempts has been reached',
    );
  });

  it('fall back from English to Indonesian, then to the key', () => {
    registerSectorMessages('fixture', { id: { only: 'Hanya Indonesia' }, en: {} });
    expect(tDynamic('en', 'sector.fixture.only')).toBe('Hanya Indonesia');
    expect(hasMessage('en', 'sector.fixture.only')).toBe(false);
    expect(tDynamic('id', 'no.such.key')).toBe('no.such.key');
    expect(isMessageKey('no.such.key')).toBe(false);
    expect(isMessageKey('app.name')).toBe(true);
  });

  it('format ICU plurals, numbers and choices in the language of the text', () => {
    registerSectorMessages('fixture', {
      id: {
        files: '{count, plural, =0 {Tidak ada berkas} other {# berkas}} ({size, number} bita)',
        role: '{role, select, admin {Admin} other {Pengguna}}',
      },
      en: {
        files: '{count, plural, =0 {No files} one {# file} other {# files}} ({size, number} bytes)',
        role: '{role, select, admin {Admin} other {User}}',
      },
    });
    expect(tDynamic('en', 'sector.fixture.files', { count: 1, size: 12345 })).toBe(
      '1 file (12,345 bytes)',
    );
    expect(tDynamic('id', 'sector.fixture.files', { count: 3, size: 12345 })).toBe(
      '3 berkas (12.345 bita)',
    );
    expect(tDynamic('id', 'sector.fixture.files', { count: 0, size: 0 })).toBe(
      'Tidak ada berkas (0 bita)',
    );
    expect(tDynamic('en', 'sector.fixture.role', { role: 'asn' })).toBe('User');
    // A plural without its count cannot be said: the key, never an exception.
    expect(tDynamic('en', 'sector.fixture.files')).toBe('sector.fixture.files');
  });

  it('have every key the templates name, the core’s and the sectors’', async () => {
    // A sector's templates may name its own messages, sector.<key>.…, from its manifest.
    const { sectors } = await import('../../../modules/index.js');
    for (const sector of sectors) {
      const manifest = readManifest(sector);
      if (manifest?.messages) registerSectorMessages(manifest.key, manifest.messages);
    }
    const missing: string[] = [];
    const folders = [join(projectRoot, 'templates'), join(projectRoot, 'modules')];
    for (const file of folders.flatMap(hbsFiles)) {
      const text = readFileSync(file, 'utf8');
      for (const [, key] of text.matchAll(/[{(]\s*t\s+"([^"]+)"/g))
        if (!hasMessage('id', key)) missing.push(`${relative(projectRoot, file)}: ${key}`);
    }
    expect(missing).toEqual([]);
  });

  it('have their key type generated from the Indonesian catalogue, up to date', () => {
    // Exits non-zero, naming `npm run i18n:types`, when message-keys.ts is stale.
    expect(() =>
      execFileSync(process.execPath, [join(projectRoot, 'scripts/i18n-types.mjs'), '--check'], {
        stdio: 'pipe',
      }),
    ).not.toThrow();
  });
});
