import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { assetsRoot } from '../../src/config/paths.js';
import { AssetCatalogue } from '../../src/platform/web/assets.js';
import { bootTestApp, engine, TestApp } from '../helpers/test-app.js';

/**
 * Slow connections (issue 23): pages, styles, scripts and JSON travel compressed when the
 * client asks (Accept-Encoding), and as they are when it does not. Requests go through
 * Fastify's inject, which adds no Accept-Encoding of its own (supertest would).
 */
describe(`compression (${engine})`, () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await bootTestApp();
    token = (await t.signIn('admin')).token;
    // A list long enough to be worth compressing (the threshold is 1 KB).
    for (let i = 1; i <= 30; i++)
      await t
        .as(token)
        .post('/api/v1/org-units')
        .send({
          code: `OPD-${String(i).padStart(2, '0')}`,
          name: `Organisasi Perangkat Daerah ${i}`,
        })
        .expect(201);
  });
  afterAll(() => t.close());

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.getHttpAdapter().getInstance().inject({ method: 'GET', url, headers });

  const decode = (encoding: string | undefined, body: Buffer) =>
    encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : body;

  /** The page's own links to its stylesheet and scripts (versioned). */
  const linked = (html: string) =>
    [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);

  it.each([
    ['an HTML page', '/masuk', 'text/html', '<form'],
    ['the JSON API', '/api/v1/org-units', 'application/json', '"code":"OPD-01"'],
    ['the OpenAPI JSON', '/api/docs-json', 'application/json', '"openapi"'],
  ])(
    '%s: brotli when asked, gzip when only gzip is, plain when nothing is',
    async (_, url, type, inside) => {
      const auth = { authorization: `Bearer ${token}` };
      const plain = await get(url, auth);
      expect(plain.statusCode).toBe(200);
      expect(plain.headers['content-type']).toContain(type);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body).toContain(inside);

      const br = await get(url, { ...auth, 'accept-encoding': 'gzip, deflate, br' });
      expect(br.statusCode).toBe(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(String(br.headers.vary)).toMatch(/accept-encoding/i);
      expect(br.headers['x-request-id']).toBeTruthy();
      expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
      expect(decode('br', br.rawPayload).toString('utf8')).toContain(inside);

      const gz = await get(url, { ...auth, 'accept-encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(decode('gzip', gz.rawPayload).toString('utf8')).toContain(inside);

      const identity = await get(url, { ...auth, 'accept-encoding': 'identity' });
      expect(identity.headers['content-encoding']).toBeUndefined();
    },
  );

  it('the security headers and the request id stay on compressed answers', async () => {
    const res = await get('/masuk', { 'accept-encoding': 'br', 'x-request-id': 'wire-check-1' });
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['x-request-id']).toBe('wire-check-1');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('a small answer is not compressed (under 1 KB the encoding costs more than it saves)', async () => {
    const res = await get('/health/live', { 'accept-encoding': 'br, gzip' });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.length).toBeLessThan(1024);
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  it('the page links its CSS and JS by version; those answer compressed and are kept a year, the unversioned URL an hour', async () => {
    const page = await get('/masuk');
    const links = linked(page.body);
    const css = links.find((l) => l.startsWith('/assets/app.css?v='));
    expect(css).toMatch(/^\/assets\/app\.css\?v=[\w-]{12}$/);
    expect(links).toContain(links.find((l) => l.startsWith('/assets/favicon.svg?v=')));
    expect(page.body).toContain('<link rel="icon" href="/favicon.ico"');

    // The exam page links exam.js the same way; its URL as the layout writes it.
    const js = new AssetCatalogue(assetsRoot).url('exam.js');
    expect(js).toMatch(/^\/assets\/exam\.js\?v=[\w-]{12}$/);
    for (const [url, type] of [
      [css!, 'text/css'],
      [js, 'javascript'],
    ]) {
      const plain = await get(url);
      expect(plain.statusCode).toBe(200);
      expect(plain.headers['content-type']).toContain(type);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      for (const encoding of ['br', 'gzip']) {
        const res = await get(url, { 'accept-encoding': encoding });
        expect(res.headers['content-encoding']).toBe(encoding);
        expect(res.headers['content-type']).toContain(type);
        expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
        // The file itself compressed per request, or the build's variant of it (minified
        // first, ADR 0033), whichever the app found current at boot.
        const body = decode(encoding, res.rawPayload);
        const variant = join(
          assetsRoot,
          `${url.split('?')[0].slice('/assets/'.length)}.${encoding === 'br' ? 'br' : 'gz'}`,
        );
        const built = existsSync(variant) ? decode(encoding, readFileSync(variant)) : null;
        expect(body.equals(plain.rawPayload) || (built !== null && body.equals(built))).toBe(true);
      }
    }
    const unversioned = await get('/assets/app.css', { 'accept-encoding': 'br' });
    expect(unversioned.statusCode).toBe(200);
    expect(unversioned.headers['cache-control']).toBe('public, max-age=3600');
    // An old version (a page rendered before a deployment) gets today's file, but only for an hour.
    const old = await get('/assets/app.css?v=AAAAAAAAAAAA');
    expect(old.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('the precompressed variants are not URLs of their own', async () => {
    for (const url of ['/assets/app.css.br', '/assets/app.css.gz']) {
      const res = await get(url);
      expect([403, 404]).toContain(res.statusCode);
    }
  });

  it('/favicon.ico is a real icon, kept a month; the SVG icon is served as SVG', async () => {
    const ico = await get('/favicon.ico');
    expect(ico.statusCode).toBe(200);
    expect(ico.headers['content-type']).toBe('image/x-icon');
    expect(ico.headers['cache-control']).toBe('public, max-age=2592000');
    // ICONDIR: reserved 0, type 1 (icon), three images (16, 32, 48 px).
    expect([...ico.rawPayload.subarray(0, 6)]).toEqual([0, 0, 1, 0, 3, 0]);
    expect(ico.rawPayload[6 + 16]).toBe(32);
    const again = await get('/favicon.ico', { 'if-none-match': String(ico.headers.etag) });
    expect(again.statusCode).toBe(304);

    const svg = await get('/assets/favicon.svg');
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toContain('<svg');
  });

  it("sectors show the app's own SVG icons, not emoji; the API names the icon", async () => {
    const home = await get('/');
    expect(home.statusCode).toBe(200);
    for (const name of ['Kesehatan', 'Pendidikan']) expect(home.body).toContain(name);
    const icons = home.body.match(/<svg class="icon" aria-hidden="true" focusable="false"/g) ?? [];
    expect(icons.length).toBeGreaterThanOrEqual(3);
    expect(home.body).not.toMatch(/\p{Extended_Pictographic}/u);

    const api = await get('/api/v1/sectors', { authorization: `Bearer ${token}` });
    const list = JSON.parse(api.body) as { key: string; icon: string }[];
    expect(Object.fromEntries(list.map((s) => [s.key, s.icon]))).toEqual({
      health: 'health',
      education: 'education',
      'administration-it': 'administration-it',
    });
    // The name is also the icon's URL, for clients that draw it themselves.
    for (const { icon } of list) {
      const svg = await get(`/assets/icons/${icon}.svg`);
      expect(svg.statusCode).toBe(200);
      expect(svg.headers['content-type']).toContain('image/svg+xml');
      expect(svg.headers['content-security-policy']).toBe("default-src 'none'");
    }
  });
});
