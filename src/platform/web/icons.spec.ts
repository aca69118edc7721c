import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sectors } from '../../../modules/index.js';
import { assetsRoot } from '../../config/paths.js';
import { readManifest } from '../../registry/sector-manifest.js';
import { DEFAULT_ICON, IconSet } from './icons.js';

describe('the SVG icon set', () => {
  const icons = new IconSet(join(assetsRoot, 'icons'));

  it('holds an icon for every seed sector and the default', () => {
    for (const sector of sectors) {
      const name = readManifest(sector)?.icon;
      expect(name).toBeDefined();
      expect(icons.has(name!)).toBe(true);
    }
    expect(icons.has(DEFAULT_ICON)).toBe(true);
  });

  it('draws an icon inline, decorative and in the text colour; the default for an unknown name', () => {
    const health = icons.svg('health');
    expect(health).toMatch(
      /^<svg class="icon" aria-hidden="true" focusable="false" xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
    );
    expect(health).toContain('currentColor');
    expect(icons.svg('forestry')).toBe(icons.svg(DEFAULT_ICON));
    expect(icons.svg(undefined)).toBe(icons.svg(DEFAULT_ICON));
    expect(icons.svg('forestry')).not.toBe(health);
  });

  it('every icon is plain SVG: no script, no external reference, small', () => {
    for (const file of readdirSync(join(assetsRoot, 'icons')).filter((f) => f.endsWith('.svg'))) {
      const svg = icons.svg(file.replace(/\.svg$/, ''));
      expect(svg).not.toMatch(/<script|href=|on\w+=/i);
      expect(svg.length).toBeLessThan(1024);
    }
  });
});
