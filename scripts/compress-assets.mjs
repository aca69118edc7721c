// Writes the .br and .gz variants of every text asset under templates/assets (CSS, JS, SVG,
// the icon), at the strongest settings: they are made once per build and served by
// @fastify/static (`preCompressed`) without compressing anything per request. Stylesheets
// and scripts are minified first (esbuild): every browser asks for br or gzip, so what
// travels is the minified file, while the file itself stays readable for the next engineer
// and for a client that asks for no encoding. `precompressed.json` records the hash of each
// source a variant was made from; the app checks it at boot and compresses per request when
// a file changed since the build. The variants are build output (.gitignore), never committed.
//   node scripts/compress-assets.mjs [--check]   --check: exit 1 when a variant is missing or stale
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'templates', 'assets');
// Keep in step with COMPRESSIBLE, MANIFEST and sourceHash in src/platform/web/assets.ts.
const COMPRESSIBLE = /\.(css|js|mjs|svg|json|txt|html|map|ico)$/;
const MANIFEST = 'precompressed.json';
const sourceHash = (content) => createHash('sha256').update(content).digest('base64url');
// The syntax the scripts are written in (optional chaining): nothing newer is introduced.
const TARGET = 'es2020';
const check = process.argv.includes('--check');

const walk = (folder) =>
  readdirSync(folder, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(folder, e.name)) : e.isFile() ? [join(folder, e.name)] : [],
  );
const nameOf = (path) => relative(root, path).split(sep).join('/');
const assets = walk(root).filter((p) => COMPRESSIBLE.test(p) && nameOf(p) !== MANIFEST);
const manifestPath = join(root, MANIFEST);
const recorded = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : {};

if (check) {
  const stale = assets
    .filter((p) => {
      const current = recorded[nameOf(p)] === sourceHash(readFileSync(p));
      return !current || !existsSync(p + '.br') || !existsSync(p + '.gz');
    })
    .map(nameOf);
  if (stale.length) {
    process.stderr.write(`compress-assets: missing or stale variants: ${stale.join(', ')}\n`);
    process.exit(1);
  }
  process.stdout.write('compress-assets: every variant is current\n');
  process.exit(0);
}

const { transformSync } = await import('esbuild');
const minified = (path, content) => {
  const loader = /\.css$/.test(path) ? 'css' : /\.m?js$/.test(path) ? 'js' : null;
  if (!loader) return content;
  return Buffer.from(
    transformSync(content.toString('utf8'), {
      loader,
      minify: true,
      target: TARGET,
      charset: 'utf8',
    }).code,
  );
};

// Written beside and renamed into place: an app serving the folder while a build runs never
// reads half a file.
const writeAtomically = (path, content) => {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
};

let plain = 0;
let small = 0;
let brotli = 0;
let gzip = 0;
const manifest = {};
for (const path of assets) {
  const source = readFileSync(path);
  const content = minified(path, source);
  plain += source.length;
  small += content.length;
  const br = brotliCompressSync(content, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
    },
  });
  const gz = gzipSync(content, { level: constants.Z_BEST_COMPRESSION });
  writeAtomically(path + '.br', br);
  writeAtomically(path + '.gz', gz);
  manifest[nameOf(path)] = sourceHash(source);
  brotli += br.length;
  gzip += gz.length;
}
writeAtomically(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
process.stdout.write(
  `compress-assets: ${plain} bytes, minified ${small} → brotli ${brotli}, gzip ${gzip}\n`,
);
