import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown to safe HTML: `marked` renders (tables included), `sanitize-html` keeps only an
 * allowlist, so scripts, event handlers and `javascript:` links never reach a page.
 */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false, gfm: true, breaks: false }) as string;
  return sanitizeHtml(html, {
    allowedTags: [
      ...sanitizeHtml.defaults.allowedTags,
      'img',
      'h1',
      'h2',
      'del',
      'details',
      'summary',
    ],
    allowedAttributes: {
      a: ['href', 'title', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height', 'loading'],
      th: ['align', 'scope'],
      td: ['align'],
      ol: ['start'],
      code: ['class'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https', 'data'] },
    allowProtocolRelative: false,
    transformTags: {
      // The page already has its h1: the author's headings start one level lower.
      h1: 'h2',
      h2: 'h3',
      h3: 'h4',
      h4: 'h5',
      // Images load lazily: lessons are read on slow connections.
      img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, loading: 'lazy' } }),
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer' } }),
    },
  });
}
