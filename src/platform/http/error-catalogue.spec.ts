import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../config/paths.js';
import { coreCatalogues, hasMessage } from '../i18n/i18n.js';
import { DATABASE_UNAVAILABLE } from './http-exception.filter.js';
import { errorFamilies } from './domain-error.js';

/** Codes the filter raises itself, outside any family. */
const FILTER_CODES = [DATABASE_UNAVAILABLE];

const DECLARATION = /^(?:export )?const \w+ = errorFamily\(/gm;

/** Every source file that declares an error family (`const … = errorFamily({`). */
function declaringFiles(): string[] {
  return ['src', 'modules']
    .flatMap((folder) =>
      readdirSync(join(projectRoot, folder), { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts'))
        .map((e) => join(e.parentPath, e.name)),
    )
    .filter((file) => (readFileSync(file, 'utf8').match(DECLARATION)?.length ?? 0) > 0);
}

describe('the error codes and the catalogue', () => {
  let codes: string[];

  beforeAll(async () => {
    const files = declaringFiles();
    for (const file of files) await import(pathToFileURL(file).href);
    const declared = files
      .map((file) => readFileSync(file, 'utf8').match(DECLARATION)?.length ?? 0)
      .reduce((a, b) => a + b, 0);
    // Each declaration registered itself when its module loaded.
    expect(errorFamilies().length).toBeGreaterThanOrEqual(declared);
    codes = errorFamilies().flatMap((family) => Object.keys(family.kinds));
  }, 120_000);

  it('finds the families of every domain', () => {
    expect(codes.length).toBeGreaterThan(90);
    expect(codes).toEqual(
      expect.arrayContaining(['auth.invalid_credentials', 'course.invalid', 'sector.unknown']),
    );
  });

  it('has a message for every code of every family, in both languages', () => {
    const missing = [...codes, ...FILTER_CODES].flatMap((code) =>
      (['id', 'en'] as const)
        .filter((lang) => !hasMessage(lang, `errors.${code}`))
        .map((lang) => `${lang}: errors.${code}`),
    );
    expect(missing).toEqual([]);
  });

  it('keeps no error message that no code can raise', () => {
    const known = new Set([...codes, ...FILTER_CODES]);
    const orphans = Object.keys(coreCatalogues.id)
      .filter((key) => key.startsWith('errors.'))
      .filter((key) => {
        const code = key.slice('errors.'.length);
        const parent = code.slice(0, code.lastIndexOf('.'));
        return !known.has(code) && !known.has(parent);
      });
    expect(orphans).toEqual([]);
  });

  it('lists the families from the files that declare them', () => {
    // A guard on the test itself: the files it imported are the ones with families.
    expect(declaringFiles().map((file) => relative(projectRoot, file))).toEqual(
      expect.arrayContaining(['src/learning/courses.service.ts', 'src/platform/http/upload.ts']),
    );
  });
});
