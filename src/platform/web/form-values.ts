/**
 * Reading page forms. A urlencoded body gives a string, or an array when a field repeats
 * (checkboxes); these helpers turn either into what a page needs.
 */
export type Form = Record<string, string | string[] | undefined>;

/** One field as text ('' when absent; the first value when repeated). */
export const formText = (value: string | string[] | undefined): string =>
  Array.isArray(value) ? (value[0] ?? '') : (value ?? '');

/** A repeated field (checkboxes) as a list of its non-empty values. */
export const formList = (value: string | string[] | undefined): string[] =>
  (Array.isArray(value) ? value : value ? [value] : []).filter(Boolean);

/** A text area or comma list as trimmed, non-empty lines. */
export const formLines = (value: string | string[] | undefined): string[] =>
  formText(value)
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean);
