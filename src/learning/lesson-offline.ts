import handlebars from 'handlebars';
import type { Language } from '../platform/http/lang.decorator.js';
import { t } from '../platform/i18n/i18n.js';
import { formatNumber } from '../platform/i18n/local-format.js';
import { renderMarkdown } from '../platform/web/markdown.js';

/**
 * A size as a reader on a metered link weighs it before downloading: "850 KB", "2,4 MB"
 * (decimal comma in Indonesian). Never "0 KB": a small file shows as 1 KB.
 */
export function byteSize(bytes: number, lang: Language): string {
  const kb = bytes / 1024;
  if (kb < 1000) return `${formatNumber(Math.max(1, Math.round(kb)), lang, 0)} KB`;
  return `${formatNumber(kb / 1024, lang, 1)} MB`;
}

/** The name a saved lesson gets: its title in lowercase ASCII words, dashed. */
export function offlineFileName(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${slug || 'pelajaran'}.html`;
}

const esc = (text: string) => handlebars.escapeExpression(text);

/**
 * A text lesson as one self-contained HTML file, to read later without a connection: its
 * own small stylesheet, no script, nothing fetched from the server (the Markdown was
 * sanitised when rendered). Opened from the disk, it names the course and where it came from.
 */
export function offlineLessonHtml(
  lesson: { title: string; body: string | null },
  course: { title: string },
  position: { number: number; count: number },
  source: string,
  lang: Language,
): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(lesson.title)} · ${esc(course.title)}</title>
<style>body{font:17px/1.6 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1f24;max-width:42rem;margin:0 auto;padding:1rem}header{border-bottom:1px solid #c9d1d9;margin-bottom:1rem}header p,footer{color:#4a5561;font-size:.9rem}img{max-width:100%}table{border-collapse:collapse}td,th{border:1px solid #c9d1d9;padding:4px 8px}pre{overflow-x:auto;background:#f6f7f8;padding:8px}</style>
</head>
<body>
<header><p>${esc(course.title)} · ${esc(t(lang, 'lesson.offlinePosition', position))}</p><h1>${esc(lesson.title)}</h1></header>
<main>
${renderMarkdown(lesson.body ?? '')}
</main>
<footer><p>${esc(t(lang, 'lesson.offlineSource', { url: source }))}</p></footer>
</body>
</html>
`;
}
