import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import process from 'node:process';
import { projectRoot } from './config/paths.js';

/** Every request DTO and response class file under src/, where the plugin reads them. */
function modelFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modelFiles(path);
    return /\.(dto|response)\.ts$/.test(entry.name) ? [path] : [];
  });
}

describe('OpenAPI plugin metadata (src/metadata.ts)', () => {
  it('is up to date with the DTOs, responses and controllers', () => {
    // Exits non-zero, naming `npm run openapi:metadata`, when metadata.ts is stale.
    expect(() =>
      execFileSync(
        process.execPath,
        [join(projectRoot, 'scripts/openapi-metadata.mjs'), '--check'],
        {
          stdio: 'pipe',
        },
      ),
    ).not.toThrow();
  }, 60_000);

  it('names each DTO and response class once: OpenAPI keys its schemas by class name', () => {
    // Two classes of one name would be one schema in the document, the other silently lost.
    const seen = new Map<string, string[]>();
    for (const file of modelFiles(join(projectRoot, 'src'))) {
      for (const [, name] of readFileSync(file, 'utf8').matchAll(/^export class (\w+)/gm))
        seen.set(name, [...(seen.get(name) ?? []), relative(projectRoot, file)]);
    }
    const twice = [...seen].filter(([, files]) => files.length > 1);
    expect(Object.fromEntries(twice)).toEqual({});
  });
});
