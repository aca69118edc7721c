import handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** The icon drawn for a name the set does not hold. */
export const DEFAULT_ICON = 'default';

/**
 * The app's own SVG icons (templates/assets/icons/<name>.svg), read once at boot and drawn
 * inline: no request of their own, no emoji that an office PC without a colour-emoji font
 * shows as a box. Each is decorative next to the text it illustrates (hidden from screen
 * readers) and takes the colour of the text around it (`currentColor`).
 */
export class IconSet {
  private readonly icons = new Map<string, string>();

  constructor(folder: string) {
    if (!existsSync(folder)) return;
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.svg'))) {
      const svg = readFileSync(join(folder, file), 'utf8').trim();
      this.icons.set(
        basename(file, '.svg'),
        svg.replace(/^<svg\b/, '<svg class="icon" aria-hidden="true" focusable="false"'),
      );
    }
  }

  has(name: string): boolean {
    return this.icons.has(name);
  }

  /** The inline SVG of `name`, or of the default icon for an unknown or missing name. */
  svg(name: unknown): string {
    return (typeof name === 'string' && this.icons.get(name)) || this.icons.get(DEFAULT_ICON) || '';
  }
}

/** `{{svgIcon name}}`: the named icon of the set, inline. */
export function registerIconHelper(icons: IconSet): void {
  handlebars.registerHelper(
    'svgIcon',
    (name: unknown) => new handlebars.SafeString(icons.svg(name)),
  );
}
