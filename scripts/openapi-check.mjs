#!/usr/bin/env node
// `npm run openapi:check` (ADR 0037): the OpenAPI document is the API's contract, so CI
// checks it as a client would meet it. It builds the app, boots it on a throwaway SQLite
// file without listening, takes /api/docs-json, then
//   1. checks every operation: a success body (or 204, or a file's media type), a summary,
//      error responses in the one error shape; each miss is named with how to fix it;
//   2. validates it (swagger-parser) and lints it (Redocly, redocly.yaml);
//   3. generates a client's types from it (openapi-typescript) and type-checks
//      test/openapi/client-usage.ts, the calls the e2e suite makes, against them.
// Output under dist/openapi/ (openapi.json, schema.d.ts), which git ignores.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/openapi');
const bin = (name) => join(root, 'node_modules/.bin', name);
const log = (line) => process.stdout.write(`openapi:check: ${line}\n`);
const fail = (line) => {
  process.stderr.write(`openapi:check: ${line}\n`);
  process.exit(1);
};

function run(label, command, args) {
  const started = Date.now();
  // Redocly reports usage and looks for updates unless told not to: CI talks to no one.
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) fail(`${label} failed`);
  log(`${label} ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

async function writeDocument() {
  const data = mkdtempSync(join(tmpdir(), 'openapi-check-'));
  const load = (path) => import(pathToFileURL(join(root, 'dist', path)).href);
  try {
    const { loadConfig } = await load('src/config/app-config.js');
    const { createApp } = await load('src/app.factory.js');
    const { sectors } = await load('src/registry/sector-list.js');
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: data,
      DATABASE_URL: `sqlite:${join(data, 'openapi.sqlite')}`,
      JWT_SECRET: 'openapi-check-secret-that-is-long-enough-0123456789',
      DEMO_DATA: 'false',
      CONTENT_SYNC: 'false',
    });
    const app = await createApp(config, sectors);
    try {
      const res = await app.getHttpAdapter().getInstance().inject({ url: '/api/docs-json' });
      if (res.statusCode !== 200) throw new Error(`/api/docs-json answered ${res.statusCode}`);
      return res.json();
    } finally {
      await app.close();
    }
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

run('build', bin('tsc'), ['-p', 'tsconfig.build.json']);
const document = await writeDocument();
mkdirSync(out, { recursive: true });
const file = join(out, 'openapi.json');
writeFileSync(file, JSON.stringify(document, null, 2));
log(`${Object.keys(document.paths).length} paths written to dist/openapi/openapi.json`);

const { missingInOperations } = await import(
  pathToFileURL(join(root, 'dist/src/platform/http/openapi.js')).href
);
const missing = missingInOperations(document);
if (missing.length) fail(`${missing.length} operation(s) incomplete:\n  ${missing.join('\n  ')}`);
log('every operation has a summary, a success body and its errors');

const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
try {
  await SwaggerParser.validate(file);
  log('swagger-parser validate ok');
} catch (error) {
  fail(`swagger-parser: ${error.message}`);
}
run('redocly lint', bin('redocly'), [
  'lint',
  file,
  '--config',
  'redocly.yaml',
  '--format',
  'stylish',
]);
run('openapi-typescript', bin('openapi-typescript'), [
  file,
  '-o',
  join(out, 'schema.d.ts'),
  '--silent',
]);
run('client type check', bin('tsc'), ['-p', 'test/openapi/tsconfig.json']);
