import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { LruMap } from '../cache/lru-map.js';

/** Rendered texts kept: question stems and lesson bodies repeat across every candidate. */
const CACHE_ENTRIES = 5_000;
/** Longer texts (whole lessons) are rendered each time: rarer, and they would crowd the cache. */
const CACHE_MAX_LENGTH = 4_000;
const rendered = new LruMap<string>(CACHE_ENTRIES);

/**
 * Markdown to safe HTML: `marked` renders (tables included), `sanitize-html` keeps only an
 * allowlist, so scripts, event handlers and `javascript:` links never reach a page. The
 * output depends on the text alone, so it is kept by text (least recently used dropped
 * first): an exam's start renders the same stems for every candidate, and sanitising was a
 * large share of it.
 */
export function renderMarkdown(source: string): string {
  if (source.length > CACHE_MAX_LENGTH) return render(source);
  const hit = rendered.get(source);
  if (hit !== undefined) return hit;
  const html = render(source);
  rendered.set(source, html);
  return html;
}

function render(source: string): string {
  const html = marked.parse(source, { async: false, gfm: true, breaks: false }) as string;
  // The page already has its h1: the text's top heading becomes an h2 whether its author
  // wrote `#` or `##`, and the rest keep their distance to it, so no level is skipped.
  const levels = [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
  const shift = levels.length ? 2 - Math.min(...levels) : 0;
  const headings = Object.fromEntries(
    [1, 2, 3, 4, 5, 6].map((n) => [`h${n}`, `h${Math.min(6, Math.max(2, n + shift))}`]),
  );
  return sanitizeHtml(html, {
    allowedTags: [
      ...sanitizeHtml.defaults.allowedTags,
      'img',
      // Listening questions (ADR 0034): the player only, its file from the app.
      'audio',
      'h1',
      'h2',
      'del',
      'details',
      'summary',
    ],
    allowedAttributes: {
      a: ['href', 'title', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height', 'loading'],
      audio: ['src', 'controls', 'preload'],
      th: ['align', 'scope'],
      td: ['align'],
      ol: ['start'],
      code: ['class'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https', 'data'], audio: ['http', 'https'] },
    allowProtocolRelative: false,
    transformTags: {
      ...headings,
      // Images load lazily: lessons are read on slow connections.
      img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, loading: 'lazy' } }),
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer' } }),
    },
  });
}
