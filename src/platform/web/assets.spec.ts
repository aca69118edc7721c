import Fastify from 'fastify';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import { installCompression } from '../http/compression.js';
import { AssetCatalogue, IMMUTABLE, MANIFEST, SHORT, serveAssets, sourceHash } from './assets.js';

describe('assets', () => {
  let root: string;
  const css = 'body { color: #1b1f24; }\n'.repeat(100);
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sa-assets-'));
    writeFileSync(join(root, 'app.css'), css);
    writeFileSync(join(root, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** What the build writes: the variants and the hash of the file they were made from. */
  const variants = (content: string, madeFrom = content) => {
    writeFileSync(join(root, 'app.css.br'), brotliCompressSync(content));
    writeFileSync(join(root, 'app.css.gz'), gzipSync(content));
    writeFileSync(
      join(root, MANIFEST),
      JSON.stringify({ 'app.css': sourceHash(Buffer.from(madeFrom)) }),
    );
  };

  it('versions each file by its content; only the current version is immutable', () => {
    const assets = new AssetCatalogue(root);
    const url = assets.url('app.css');
    expect(url).toMatch(/^\/assets\/app\.css\?v=[\w-]{12}$/);
    expect(assets.url('/assets/app.css')).toBe(url);
    expect(assets.url('missing.js')).toBe('missing.js');
    const version = url.split('=')[1];
    expect(assets.cacheControl('app.css', version)).toBe(IMMUTABLE);
    expect(assets.cacheControl('app.css', 'AAAAAAAAAAAA')).toBe(SHORT);
    expect(assets.cacheControl('app.css', undefined)).toBe(SHORT);
    writeFileSync(join(root, 'app.css'), css + 'p{}');
    expect(new AssetCatalogue(root).url('app.css')).not.toBe(url);
  });

  it('serves the variants only while they are the file compressed; a stale one is never served', async () => {
    expect(new AssetCatalogue(root).stale).toEqual(['app.css']); // none yet (images need none)
    variants(css);
    expect(new AssetCatalogue(root).precompressed).toBe(true);

    // The file edited after the build: its .br is yesterday's.
    const edited = css.replace('#1b1f24', '#000000');
    writeFileSync(join(root, 'app.css'), edited);
    const assets = new AssetCatalogue(root);
    expect(assets.stale).toEqual(['app.css']);

    const fastify = Fastify();
    await installCompression(fastify);
    await serveAssets(fastify, assets);
    const res = await fastify.inject({
      url: assets.url('app.css'),
      headers: { 'accept-encoding': 'br' },
    });
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
    expect(brotliDecompressSync(res.rawPayload).toString()).toBe(edited);
    await fastify.close();
  });

  it('serves the minified variant of a file built from it, never the manifest itself', async () => {
    variants('body{color:#1b1f24}', css);
    const assets = new AssetCatalogue(root);
    expect(assets.stale).toEqual([]);
    expect(assets.url(MANIFEST)).toBe(MANIFEST);
    const fastify = Fastify();
    await installCompression(fastify);
    await serveAssets(fastify, assets);
    const res = await fastify.inject({
      url: assets.url('app.css'),
      headers: { 'accept-encoding': 'br' },
    });
    expect(brotliDecompressSync(res.rawPayload).toString()).toBe('body{color:#1b1f24}');
    const plain = await fastify.inject({ url: assets.url('app.css') });
    expect(plain.body).toBe(css);
    expect((await fastify.inject({ url: `/assets/${MANIFEST}` })).statusCode).toBe(404);
    await fastify.close();
  });

  it('serves a current variant as built, byte for byte', async () => {
    variants(css);
    const assets = new AssetCatalogue(root);
    const fastify = Fastify();
    await installCompression(fastify);
    await serveAssets(fastify, assets);
    const res = await fastify.inject({
      url: '/assets/app.css',
      headers: { 'accept-encoding': 'br' },
    });
    expect(res.rawPayload.equals(brotliCompressSync(css))).toBe(true);
    expect(res.headers['cache-control']).toBe(SHORT);
    await fastify.close();
  });
});
