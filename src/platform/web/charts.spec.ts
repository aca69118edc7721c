import { heatmap, levelBars } from './charts.js';

describe('charts', () => {
  it('draws one pair of bars per row, scaled to five levels, with an accessible title', () => {
    const svg = levelBars([{ label: 'Integritas <M.1>', required: 3, achieved: 2 }], {
      title: 'Level',
      required: 'Dibutuhkan',
      achieved: 'Dicapai',
    });
    expect(svg).toContain('role="img"');
    expect(svg).toContain('<title id="chart-title">Level</title>');
    expect(svg).toContain('Integritas &lt;M.1&gt;: Dibutuhkan 3');
    expect(svg).toContain('width="138"'); // 3 of 5 levels of a 230-unit bar area
    expect(svg).not.toContain('<M.1>');
  });

  it('shades heatmap cells and skips empty ones', () => {
    const svg = heatmap(
      ['DINKES'],
      ['M.1', 'M.2'],
      [{ row: 'DINKES', column: 'M.1', value: 100 }],
      'Peta',
    );
    expect(svg).toContain('hsl(120, 60%, 45%)');
    expect(svg.match(/<rect/g)).toHaveLength(1);
  });
});
