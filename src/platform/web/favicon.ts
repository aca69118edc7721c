import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AssetCatalogue } from './assets.js';

/** A month: browsers ask for /favicon.ico by that name, so it cannot carry a version. */
export const FAVICON_CACHE = 'public, max-age=2592000';

/**
 * /favicon.ico, which browsers ask for on every site whatever the page links: a real ICO
 * (16, 32 and 48 px, made from favicon.svg by scripts/make-favicon.mjs), read once at boot.
 * Pages link the SVG itself (versioned) for browsers that read SVG icons.
 */
export function serveFavicon(fastify: FastifyInstance, assets: AssetCatalogue): void {
  const icon = readFileSync(join(assets.root, 'favicon.ico'));
  const etag = `"${assets.version('favicon.ico') ?? 'favicon'}"`;
  fastify.get('/favicon.ico', (request, reply) => {
    void reply.header('cache-control', FAVICON_CACHE).header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('image/x-icon').send(icon);
  });
}
