import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, whether running from src/ (tests) or dist/src/ (compiled). */
const up2 = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const projectRoot = basename(up2).startsWith('dist') ? dirname(up2) : up2;
export const templatesRoot = join(projectRoot, 'templates');
export const assetsRoot = join(templatesRoot, 'assets');
