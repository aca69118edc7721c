import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEAT_BANDS, heatmap, histogram, levelBars, percentBars, progressRing } from './charts.js';

describe('charts', () => {
  it('draws one pair of bars per row, scaled to five levels, with an accessible title', () => {
    const svg = levelBars([{ label: 'Integritas <M.1>', required: 3, achieved: 2 }], {
      title: 'Level',
      required: 'Dibutuhkan',
      achieved: 'Dicapai',
    });
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(/<title id="chart-\d+-t">Level<\/title>/);
    expect(svg).toContain('<desc');
    expect(svg).toContain('Integritas &lt;M.1&gt;: Dibutuhkan 3');
    expect(svg).toContain('width="138"'); // 3 of 5 levels of a 230-unit bar area
    expect(svg).not.toContain('<M.1>');
  });

  it('shades heatmap cells by band, prints each value, and skips empty ones', () => {
    const svg = heatmap(
      ['DINKES'],
      ['M.1', 'M.2', 'M.3'],
      [
        { row: 'DINKES', column: 'M.1', value: 100 },
        { row: 'DINKES', column: 'M.2', value: 10 },
      ],
      'Peta',
    );
    expect(svg).toContain(`fill="${HEAT_BANDS[3].fill}"`);
    expect(svg).toContain(`fill="${HEAT_BANDS[0].fill}"`);
    expect(svg.match(/<rect/g)).toHaveLength(2);
    expect(svg).toMatch(/>100<\/text>/);
    expect(svg).toContain('<title>DINKES · M.2: 10%</title>');
    expect(svg).toMatch(/width="\d+px"/); // its natural size: a phone scrolls it, never shrinks it
  });

  it('keeps the legend swatches (CSS, no inline style under the CSP) in the bands’ colours', () => {
    const css = readFileSync(join(process.cwd(), 'templates/assets/app.css'), 'utf8');
    HEAT_BANDS.forEach((band, i) =>
      expect(css).toMatch(new RegExp(`\\.swatch-${i} \\{\\s*background: ${band.fill};`)),
    );
  });

  it('gives every chart on a page its own title id', () => {
    const a = percentBars([{ label: 'A', value: 10 }], { title: 'A' });
    const b = percentBars([{ label: 'B', value: 10 }], { title: 'B' });
    const id = (svg: string) => /aria-labelledby="([^"]+)"/.exec(svg)![1];
    expect(id(a)).not.toBe(id(b));
  });

  it('draws percentage bars to scale and warns below the threshold', () => {
    const svg = percentBars(
      [
        { label: 'DINKES', value: 75 },
        { label: 'DISDIK', value: 20 },
      ],
      { title: 'Cakupan' },
    );
    expect(svg).toContain('width="139.5"'); // 75% of a 186-unit bar area
    expect(svg).toContain('#b54708');
    expect(svg).toContain('<desc id="chart-');
    expect(svg).toContain('DINKES: 75%; DISDIK: 20%');
  });

  it('scales a histogram to its tallest band and labels each band', () => {
    const svg = histogram([0, 2, 4], ['0', '10', '20'], 'Sebaran');
    expect(svg).toContain('height="100"'); // the tallest band fills the chart
    expect(svg).toContain('height="50"');
    expect(svg).toContain('0: 0; 10: 2; 20: 4');
  });

  it('fills a progress ring to its share, capped at full', () => {
    const half = progressRing(10, 20, { title: 'JP', label: 'JP' });
    expect(half).toContain('stroke-dasharray="150.80 301.59"');
    expect(progressRing(30, 20, { title: 'JP', label: 'JP' })).toContain(
      'stroke-dasharray="301.59 301.59"',
    );
  });
});
