import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import handlebars from 'handlebars';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** What a versioned asset URL may be kept for: a year, never revalidated (its content never changes). */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** An asset asked for without its version (or with an old one): an hour, then revalidated. */
export const SHORT = 'public, max-age=3600';

/** Files served under /assets/ that are worth compressing (text formats). */
export const COMPRESSIBLE = /\.(css|js|mjs|svg|json|txt|html|map|ico)$/;
/** The precompressed variants the build writes beside each compressible asset. */
export const VARIANTS = { br: '.br', gzip: '.gz' } as const;
/**
 * What the build wrote the variants from: asset name → {@link sourceHash} of the file. The
 * variants of stylesheets and scripts are of the minified file, so they cannot be compared
 * with the file itself; the hash of the source tells whether the file changed since.
 */
export const MANIFEST = 'precompressed.json';

/** The hash `scripts/compress-assets.mjs` records for a source file. */
export function sourceHash(content: Buffer): string {
  return createHash('sha256').update(content).digest('base64url');
}

/**
 * The assets of `root` and a content hash of each, computed once at boot: pages link
 * `/assets/app.css?v=<hash>`, so a browser keeps each file for a year and a deployment that
 * changes a file changes its URL.
 */
export class AssetCatalogue {
  private readonly versions = new Map<string, string>();
  /** Compressible assets whose .br/.gz variant is missing or differs from the file. */
  readonly stale: string[] = [];

  constructor(readonly root: string) {
    const built = readManifest(join(root, MANIFEST));
    for (const path of walk(root)) {
      if (path.endsWith(VARIANTS.br) || path.endsWith(VARIANTS.gzip)) continue;
      const name = relative(root, path).split(sep).join('/');
      if (name === MANIFEST) continue;
      const content = readFileSync(path);
      this.versions.set(
        name,
        createHash('sha256').update(content).digest('base64url').slice(0, 12),
      );
      if (COMPRESSIBLE.test(name) && !variantsCurrent(path, content, built[name])) {
        this.stale.push(name);
      }
    }
  }

  /** The current version of `name` (`app.css`, `icons/health.svg`), or undefined if no such asset. */
  version(name: string): string | undefined {
    return this.versions.get(name);
  }

  /**
   * The URL pages link for an asset, by name or by its unversioned URL: `app.css` or
   * `/assets/app.css` → `/assets/app.css?v=…`. An unknown name stays as given.
   */
  url(nameOrPath: string): string {
    const name = nameOrPath.replace(/^\/assets\//, '');
    const version = this.versions.get(name);
    return version ? `/assets/${name}?v=${version}` : nameOrPath;
  }

  /** Cache-Control for a request of `name`: immutable only when it names the current version. */
  cacheControl(name: string, requested: unknown): string {
    return typeof requested === 'string' && requested === this.versions.get(name)
      ? IMMUTABLE
      : SHORT;
  }

  /** True when the build's precompressed variants can be served as they are. */
  get precompressed(): boolean {
    return this.stale.length === 0;
  }
}

function walk(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? walk(path) : entry.isFile() ? [path] : [];
  });
}

function readManifest(path: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

/**
 * Both variants exist and were made from this very file. A variant older than an edited file
 * would serve yesterday's CSS to every browser that accepts brotli.
 */
function variantsCurrent(path: string, content: Buffer, builtFrom: string | undefined): boolean {
  return (
    builtFrom === sourceHash(content) &&
    existsSync(path + VARIANTS.br) &&
    existsSync(path + VARIANTS.gzip)
  );
}

/**
 * Serves /assets/ from the catalogue's folder: the build's .br/.gz variants when they are
 * current (otherwise @fastify/compress compresses on the fly), a year's immutable caching for
 * versioned URLs, an hour for the rest. The variants themselves are not URLs of their own.
 */
export async function serveAssets(fastify: FastifyInstance, assets: AssetCatalogue): Promise<void> {
  await fastify.register(fastifyStatic, {
    root: assets.root,
    prefix: '/assets/',
    decorateReply: false,
    preCompressed: assets.precompressed,
    cacheControl: false,
    // An ETag is enough to revalidate; ranges of a stylesheet are never asked for.
    lastModified: false,
    acceptRanges: false,
    allowedPath: (pathname: string) =>
      !/\.(br|gz)$/.test(pathname) && !pathname.endsWith(`/${MANIFEST}`),
    setHeaders: (reply: FastifyReply, path: string) => {
      const name = relative(assets.root, path)
        .split(sep)
        .join('/')
        .replace(/\.(br|gz)$/, '');
      const query = reply.request.query as Record<string, unknown> | undefined;
      void reply.header('cache-control', assets.cacheControl(name, query?.v));
    },
  });
}

/**
 * `{{asset "app.css"}}` (or `{{asset "/assets/exam.js"}}`): the asset's versioned URL. A known
 * asset's URL is made of its file name and a base64url hash, so it goes out unescaped
 * (Handlebars would write `?v&#x3D;`); anything else is escaped as usual.
 */
export function registerAssetHelper(assets: AssetCatalogue): void {
  handlebars.registerHelper('asset', (name: unknown) => {
    if (typeof name !== 'string') return '';
    const url = assets.url(name);
    return url !== name && /^[\w./?=-]+$/.test(url) ? new handlebars.SafeString(url) : url;
  });
}
