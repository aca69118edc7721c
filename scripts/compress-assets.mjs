// Writes the .br and .gz variants of every text asset under templates/assets (CSS, JS, SVG,
// the icon), at the strongest settings: they are made once per build and served by
// @fastify/static (`preCompressed`) without compressing anything per request. Run by
// `npm run build`; the app checks at boot that each variant matches its file and compresses
// per request otherwise. The variants are build output (.gitignore), never committed.
//   node scripts/compress-assets.mjs [--check]   --check: exit 1 when a variant is missing or stale
import process from 'node:process';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'templates', 'assets');
// Keep in step with COMPRESSIBLE in src/platform/web/assets.ts.
const COMPRESSIBLE = /\.(css|js|mjs|svg|json|txt|html|map|ico)$/;
const check = process.argv.includes('--check');

const walk = (folder) =>
  readdirSync(folder, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(folder, e.name)) : e.isFile() ? [join(folder, e.name)] : [],
  );

const same = (path, decompress, content) => {
  try {
    return existsSync(path) && decompress(readFileSync(path)).equals(content);
  } catch {
    return false;
  }
};

let plain = 0;
let brotli = 0;
let gzip = 0;
const stale = [];
for (const path of walk(root).filter((p) => COMPRESSIBLE.test(p))) {
  const content = readFileSync(path);
  plain += content.length;
  if (check) {
    if (!same(path + '.br', brotliDecompressSync, content) || !same(path + '.gz', gunzipSync, content))
      stale.push(relative(root, path));
    continue;
  }
  const br = brotliCompressSync(content, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
    },
  });
  const gz = gzipSync(content, { level: constants.Z_BEST_COMPRESSION });
  writeFileSync(path + '.br', br);
  writeFileSync(path + '.gz', gz);
  brotli += br.length;
  gzip += gz.length;
}
if (check) {
  if (stale.length) {
    process.stderr.write(`compress-assets: missing or stale variants: ${stale.join(', ')}\n`);
    process.exit(1);
  }
  process.stdout.write('compress-assets: every variant is current\n');
} else {
  process.stdout.write(`compress-assets: ${plain} bytes → brotli ${brotli}, gzip ${gzip}\n`);
}
