import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

type HeaderList = readonly (readonly [name: string, value: string])[];

const STRICT_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

/** The Swagger UI page at /api/docs (not /api/docs-json). */
const DOCS_PAGE = /^\/api\/docs(\/|\?|$)/;

/** Files under /assets/ and /favicon.ico: stylesheets, scripts and icons, fetched by pages, not browsed to. */
const ASSET = /^\/(assets\/[^?]*\.(css|js|svg|ico)|favicon\.ico)(\?|$)/;
/** What still matters on them: no sniffing, no cross-origin embedding, HTTPS only. */
const ASSET_HEADERS = new Set([
  'x-content-type-options',
  'cross-origin-resource-policy',
  'strict-transport-security',
]);
/** An SVG opened on its own is a document: it may run nothing and load nothing. */
const SVG = /^\/assets\/[^?]*\.svg(\?|$)/;
const SVG_POLICY: readonly [string, string] = ['Content-Security-Policy', "default-src 'none'"];

/**
 * Helmet's headers for our policy, computed once: helmet's middleware is run against a
 * recording response, so names, values and order are exactly what helmet would set.
 */
export function helmetHeaders(options: HelmetOptions): HeaderList {
  const headers: [string, string][] = [];
  const recorder = {
    setHeader(name: string, value: unknown) {
      headers.push([name, String(value)]);
    },
    // helmet removes X-Powered-By, which Fastify never sets: nothing to record.
    removeHeader() {},
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error) => {
    if (error) throw error;
  });
  return headers;
}

/** The app's policy; `inlineStyles` only for the API documentation page. */
export function securityHeaders(inlineStyles = false): HeaderList {
  return helmetHeaders({
    contentSecurityPolicy: {
      directives: inlineStyles
        ? { ...STRICT_DIRECTIVES, styleSrc: ["'self'", "'unsafe-inline'"] }
        : STRICT_DIRECTIVES,
    },
  });
}

/**
 * Sets the security headers on every response. @fastify/helmet rebuilt helmet's middleware
 * and parsed the CSP directives on every request; the headers never change, so they are
 * computed at boot. Swagger UI's page brings inline <style> blocks: there alone inline
 * styles are allowed (scripts never are), so the API documentation renders as designed.
 * Stylesheets, scripts and icons under /assets/ carry only the headers that apply to them.
 */
export function installSecurityHeaders(fastify: FastifyInstance): void {
  const strict = securityHeaders();
  const docs = securityHeaders(true);
  // The page's CSP, frame and referrer policies on a stylesheet, script or icon are ~550 bytes
  // that no browser reads: the exam page's cold load on a slow link paid them three times (issue 23).
  const asset = strict.filter(([name]) => ASSET_HEADERS.has(name.toLowerCase()));
  const svg = [...asset, SVG_POLICY];
  fastify.addHook('onRequest', (request, reply, done) => {
    const url = request.url;
    const headers = DOCS_PAGE.test(url)
      ? docs
      : ASSET.test(url)
        ? SVG.test(url)
          ? svg
          : asset
        : strict;
    // On the raw response, as helmet did: present even on replies written to it directly.
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
