import type handlebars from 'handlebars';

/**
 * A formatting helper that still reads as a field when written bare. Handlebars calls a
 * helper before it looks up a field of the same name, so once `number` formats numbers,
 * `{{number}}` (a certificate's number) would print nothing; written bare, the helper gives
 * the field of its name instead, exactly as before it existed. With arguments it formats.
 */
export function valueHelper(
  format: (args: unknown[], options: handlebars.HelperOptions) => string,
): handlebars.HelperDelegate {
  return function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as handlebars.HelperOptions;
    if (!args.length) {
      // `name` is on every HelperOptions at run time, not in Handlebars' types.
      const { name } = options as handlebars.HelperOptions & { name: string };
      const field = (this as Record<string, unknown> | null | undefined)?.[name];
      return field === undefined || field === null ? '' : field;
    }
    return format(args, options);
  };
}
