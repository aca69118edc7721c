import { barChart, escapeXml } from './svg-chart.js';

describe('server-rendered bar chart', () => {
  it('is an image with a name, a title and a description of every value', () => {
    const svg = barChart(
      [
        { label: 'Pelatihan A', value: 80 },
        { label: 'Pelatihan B', value: null },
      ],
      { title: 'Persentase lulus', format: (v) => `${v} %` },
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-label="Persentase lulus"');
    expect(svg).toContain('<title>Persentase lulus</title>');
    expect(svg).toContain('<desc>Pelatihan A: 80 %; Pelatihan B: –</desc>');
    // One bar: the row without a value has none.
    expect(svg.match(/<rect /g)).toHaveLength(1);
  });

  it('escapes labels and titles: a course title holding markup stays text', () => {
    const evil = '<script>alert(1)</script>" onload="x';
    const svg = barChart([{ label: evil, value: 10 }], { title: `Judul ${evil}` });
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('" onload="');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('&quot; onload=&quot;x');
  });

  it('has no script, no link and no outside resource', () => {
    const svg = barChart([{ label: 'a', value: 1 }], { title: 't' });
    expect(svg).not.toMatch(/<script|href=|url\(|@import|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('draws negative values left of zero with an axis', () => {
    const svg = barChart(
      [
        { label: 'turun', value: -0.5 },
        { label: 'naik', value: 0.5 },
      ],
      { title: 'Perolehan belajar' },
    );
    expect(svg).toContain('<line');
    const rects = [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    expect(rects).toHaveLength(2);
    // The negative bar ends where the positive one starts (zero), both the same length.
    expect(rects[0][0] + rects[0][1]).toBeCloseTo(rects[1][0], 0);
    expect(rects[0][1]).toBeCloseTo(rects[1][1], 0);
  });

  it('tells a warned bar and its mark in words, not only in colour', () => {
    const svg = barChart([{ label: 'Dinas', value: 120, mark: 100, warn: true }], {
      title: 'Biaya dan pagu',
      markLabel: 'pagu',
      warnLabel: 'melebihi pagu',
    });
    expect(svg).toContain('Dinas: 120, pagu 100, melebihi pagu');
    expect(svg).toContain('120 ⚠');
  });

  it('escapes the five XML characters and drops control characters', () => {
    expect(escapeXml(`<&>"'\u0001`)).toBe('&lt;&amp;&gt;&quot;&#39;');
  });
});
