import { Module } from '@nestjs/common';
import { Entity, PrimaryColumn } from 'typeorm';
import { registerSectorMessages, tDynamic } from '../platform/i18n/i18n.js';
import { loadSectors, SectorManifestError, tablePrefix } from './sector-loader.js';
import { SectorModule, SectorManifest } from './sector-manifest.js';

const aSector = (overrides: Partial<SectorManifest> = {}) => {
  @SectorModule({
    key: 'health',
    name: { id: 'Kesehatan', en: 'Health' },
    code: 'KES',
    version: '1.0.0',
    requires: '^1.0.0',
    ...overrides,
  })
  class Sector {}
  return Sector;
};
const load = (list: unknown[], only: string[] | null = null, coreEntities: never[] = []) =>
  loadSectors(list as never, { coreVersion: '1.2.0', only, coreEntities });

@Entity('users')
class CoreUser {
  @PrimaryColumn() id: string;
}

describe('loadSectors', () => {
  it('accepts good manifests in list order', () => {
    const loaded = load([aSector({ icon: 'health' }), aSector({ key: 'education', code: 'DIK' })]);
    expect(loaded.map((s) => s.manifest.key)).toEqual(['health', 'education']);
  });

  it('keeps only the sectors SECTORS names', () => {
    expect(
      load([aSector(), aSector({ key: 'education', code: 'DIK' })], ['education']).map(
        (s) => s.manifest.key,
      ),
    ).toEqual(['education']);
  });

  it.each([
    [{ key: 'Health!' }, /key "Health!" must be lowercase/],
    [{ version: 'one' }, /version "one", which is not semantic/],
    [{ requires: 'soon' }, /requires "soon", which is not a version range/],
    [{ requires: '^2.0.0' }, /requires core \^2\.0\.0, but this core is 1\.2\.0/],
    [{ name: { id: '', en: 'Health' } }, /needs a name in Indonesian/],
    [{ icon: '🩺' }, /icon "🩺": name an SVG icon of templates\/assets\/icons/],
    [{ icon: 'Health Icon' }, /icon "Health Icon"/],
    [{ code: undefined }, /code "undefined", which must be 2 to 5 capital letters/],
    [{ code: 'K' }, /code "K", which must be 2 to 5 capital letters/],
    [{ code: 'KESEHA' }, /code "KESEHA", which must be 2 to 5 capital letters/],
    [{ code: 'kes' }, /code "kes", which must be 2 to 5 capital letters/],
    [{ code: 'K3S' }, /code "K3S", which must be 2 to 5 capital letters/],
  ])('refuses %j', (overrides, message) => {
    expect(() => load([aSector(overrides as Partial<SectorManifest>)])).toThrow(
      SectorManifestError,
    );
    expect(() => load([aSector(overrides as Partial<SectorManifest>)])).toThrow(message);
  });

  it('refuses duplicate keys, undecorated classes and unknown SECTORS', () => {
    expect(() => load([aSector(), aSector()])).toThrow(/key "health" is used by both/);
    expect(() => load([aSector(), aSector({ key: 'education' })])).toThrow(
      /code "KES" is used by both sector "health" and sector "education"/,
    );
    @Module({})
    class Plain {}
    expect(() => load([Plain])).toThrow(/is not decorated with @SectorModule/);
    expect(() => load([aSector()], ['forestry'])).toThrow(/SECTORS names forestry/);
  });

  it('requires sector tables to carry the sector prefix and not clash with the core', () => {
    @Entity('inspections')
    class Unprefixed {
      @PrimaryColumn() id: string;
    }
    expect(() => load([aSector({ entities: [Unprefixed] })])).toThrow(
      /table "inspections", which must start with "health_"/,
    );

    @Entity('health_visits')
    class CoreUser2 {
      @PrimaryColumn() id: string;
    }
    Object.defineProperty(CoreUser2, 'name', { value: 'CoreUser' });
    expect(() => load([aSector({ entities: [CoreUser2] })], null, [CoreUser as never])).toThrow(
      /both define "entity CoreUser"/,
    );
  });

  describe("a sector's own messages", () => {
    const messages = {
      id: {
        'practice.observed': 'Praktik {code} teramati',
        'practice.pending': '{count, plural, other {# catatan}} menunggu asesor',
      },
      en: {
        'practice.observed': 'Practice {code} observed',
        'practice.pending':
          '{count, plural, one {# record} other {# records}} waiting for an assessor',
      },
    };

    it('are accepted with the same keys and arguments in both languages, and t finds them', () => {
      const [health] = load([aSector({ messages })]);
      registerSectorMessages(health.manifest.key, health.manifest.messages!);
      expect(tDynamic('en', 'sector.health.practice.observed', { code: 'KES.BHD' })).toBe(
        'Practice KES.BHD observed',
      );
      expect(tDynamic('id', 'sector.health.practice.pending', { count: 2 })).toBe(
        '2 catatan menunggu asesor',
      );
      expect(tDynamic('en', 'sector.health.practice.pending', { count: 1 })).toBe(
        '1 record waiting for an assessor',
      );
    });

    it.each([
      [
        { id: messages.id, en: { ...messages.en, 'practice.observed': 'Observed' } },
        /sector "health" has the message "practice.observed" with other arguments/,
      ],
      [
        { id: messages.id, en: { 'practice.observed': messages.en['practice.observed'] } },
        /sector "health" has the message "practice.pending" in id but not in en/,
      ],
      [
        { id: { ...messages.id, extra: '{a' }, en: { ...messages.en, extra: '{a' } },
        /sector "health" has the message "extra" \(id\), which is not valid ICU/,
      ],
      [
        { id: messages.id },
        /sector "health" needs messages in Indonesian \(id\) and English \(en\)/,
      ],
      [
        { id: { 'bad key!': 'x' }, en: { 'bad key!': 'x' } },
        /sector "health" has the message key "bad key!"/,
      ],
    ])('refuse %j at boot, naming the sector and the key', (bad, message) => {
      expect(() => load([aSector({ messages: bad as never })])).toThrow(SectorManifestError);
      expect(() => load([aSector({ messages: bad as never })])).toThrow(message);
    });
  });

  it('derives the table prefix from the key', () => {
    expect(tablePrefix('administration-it')).toBe('administration_it_');
  });
});
