import fastifyCompress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';
import { constants } from 'node:zlib';

/**
 * What is compressed: pages, styles, scripts, JSON, SVG, icons (uncompressed bitmaps), CSV and
 * other text. PDFs, XLSX
 * (already a zip), images and lesson files (octet-stream) are sent as they are: squeezing
 * them again costs CPU for nothing.
 */
export const COMPRESSIBLE_TYPES =
  /^(text\/(?!event-stream)|application\/(json|javascript|xml|problem\+json)\b|image\/(svg\+xml|x-icon|vnd\.microsoft\.icon)\b|[^;]*\+json\b)/;

/** Below this many bytes the encoding's own overhead eats most of the gain. */
export const COMPRESS_THRESHOLD = 1024;
/** Answers up to this size are compressed in one call rather than through a stream. */
export const SYNC_THRESHOLD = 128 * 1024;

/**
 * gzip and brotli for responses that ask for them (Accept-Encoding), brotli first. Brotli at
 * quality 5 for answers made per request: on a 2-core machine 11 costs ~30× the time for
 * a few percent; the static assets are precompressed at quality 11 by the build instead.
 * Registered before any route, since the plugin hooks the routes as they are added. Request
 * bodies are not decompressed: uploads keep their size limit as sent.
 */
export async function installCompression(fastify: FastifyInstance): Promise<void> {
  await fastify.register(fastifyCompress, {
    global: true,
    encodings: ['br', 'gzip'],
    threshold: COMPRESS_THRESHOLD,
    // Up to this size an answer is compressed in one synchronous call (~1 ms for the 30 KB
    // exam page at quality 5) and sent with its length. The plugin's default on 2 cores is
    // 8 KB; above it the stream path added ~20 ms to every exam page (npm run bench:wire).
    syncThreshold: SYNC_THRESHOLD,
    customTypes: COMPRESSIBLE_TYPES,
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } },
    zlibOptions: { level: 6 },
    globalDecompression: false,
  });
}
