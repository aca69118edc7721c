import {
  isStructurallySame,
  parse,
  TYPE,
  type MessageFormatElement,
} from '@formatjs/icu-messageformat-parser';

/**
 * What an ICU argument expects: `text` for `{name}` (a string or a number shown as it is),
 * `number` for `{n, number}` and plurals, `choice` for `select`, `date` for dates and times.
 */
export type ArgumentKind = 'text' | 'number' | 'choice' | 'date';

/**
 * Tags (`<b>`) are text here, as they were before ICU: a message is plain text that the pages
 * escape, never markup that the formatter would interpret.
 */
export const PARSE_OPTIONS = { ignoreTag: true } as const;

/** Parses an ICU message; throws a SyntaxError naming what is wrong and where. */
export function parseMessage(text: string): MessageFormatElement[] {
  return parse(text, PARSE_OPTIONS);
}

/** The arguments a message takes, with what each expects (nested plural and select cases included). */
export function argumentsOf(ast: MessageFormatElement[]): Map<string, ArgumentKind> {
  const found = new Map<string, ArgumentKind>();
  const note = (name: string, kind: ArgumentKind) => {
    // One argument used two ways (`{n}` and `{n, plural, …}`): the stricter kind wins.
    if (found.get(name) === undefined || found.get(name) === 'text') found.set(name, kind);
  };
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      switch (element.type) {
        case TYPE.argument:
          note(element.value, 'text');
          break;
        case TYPE.number:
          note(element.value, 'number');
          break;
        case TYPE.date:
        case TYPE.time:
          note(element.value, 'date');
          break;
        case TYPE.plural:
          note(element.value, 'number');
          for (const option of Object.values(element.options)) walk(option.value);
          break;
        case TYPE.select:
          note(element.value, 'choice');
          for (const option of Object.values(element.options)) walk(option.value);
          break;
        case TYPE.tag:
          walk(element.children);
          break;
      }
    }
  };
  walk(ast);
  return found;
}

/** Why two translations of one message do not take the same arguments, or null when they do. */
export function argumentMismatch(a: string, b: string): string | null {
  const result = isStructurallySame(parseMessage(a), parseMessage(b));
  return result.success ? null : (result.error?.message ?? 'different arguments');
}
