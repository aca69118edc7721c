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
 */
export function installSecurityHeaders(fastify: FastifyInstance): void {
  const strict = securityHeaders();
  const docs = securityHeaders(true);
  fastify.addHook('onRequest', (request, reply, done) => {
    const headers = DOCS_PAGE.test(request.url) ? docs : strict;
    // On the raw response, as helmet did: present even on replies written to it directly.
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
