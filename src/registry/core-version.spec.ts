import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../config/paths.js';
import { CORE_VERSION } from './core-version.js';

it('CORE_VERSION follows package.json', () => {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  expect(CORE_VERSION).toBe(pkg.version);
});
