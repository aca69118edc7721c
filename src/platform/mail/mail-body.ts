/**
 * Headers on every mail the platform sends (RFC 3834 and Exchange's own): the mail is
 * automatic, so out-of-office replies and auto-forward loops leave it alone.
 */
export const AUTOMATED_MAIL_HEADERS = {
  'Auto-Submitted': 'auto-generated',
  'X-Auto-Response-Suppress': 'All',
} as const;

// An http(s) address up to a space or `<`; punctuation that ends a sentence is left outside.
// Bounded, so a long run of punctuation cannot make the lookahead scan again and again.
const URL_PATTERN = /https?:\/\/[^\s<>"]{1,2048}?(?=[.,;:!?)]{0,16}(?:\s|$|<))/g;

/**
 * The HTML part of a mail written as plain text: one paragraph per blank-line-separated
 * block, line breaks kept, every address a real link (its text the address itself, so it
 * reads the same as the text part and a reader sees where it leads).
 */
export function mailHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((paragraph) => {
      const html = escapeHtml(paragraph)
        .replace(URL_PATTERN, (url) => `<a href="${url}">${url}</a>`)
        .replace(/\n/g, '<br>\n');
      return `<p>${html}</p>`;
    })
    .join('\n');
}

// The five characters that matter in text and in a quoted attribute; `=` stays as it is, so
// a link's query string reads the same in the HTML source as in the text part.
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
