import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import process from 'node:process';
import { projectRoot } from './config/paths.js';

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
});
