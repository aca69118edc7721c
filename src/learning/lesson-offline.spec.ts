import { byteSize, offlineFileName, offlineLessonHtml } from './lesson-offline.js';

describe('lesson offline', () => {
  it.each([
    [0, 'id', '1 KB'],
    [800, 'id', '1 KB'],
    [15 * 1024, 'id', '15 KB'],
    [999 * 1024, 'id', '999 KB'],
    [1_250_000, 'id', '1,2 MB'],
    [1_250_000, 'en', '1.2 MB'],
    [45 * 1024 * 1024, 'id', '45 MB'],
  ] as const)('byteSize(%d, %s) is %s', (bytes, lang, shown) => {
    expect(byteSize(bytes, lang)).toBe(shown);
  });

  it.each([
    ['Enam Sasaran Keselamatan Pasien', 'enam-sasaran-keselamatan-pasien.html'],
    ['Pengantar: RJP & AED (revisi 2)', 'pengantar-rjp-aed-revisi-2.html'],
    ['Évaluasi çepat', 'evaluasi-cepat.html'],
    ['???', 'pelajaran.html'],
  ])('offlineFileName(%j) is %s', (title, name) => {
    expect(offlineFileName(title)).toBe(name);
  });

  it('escapes the titles and keeps the sanitised Markdown only', () => {
    const html = offlineLessonHtml(
      { title: 'A <b>title</b>', body: 'Teks <img src=x onerror=alert(1)> **tebal**' },
      { title: 'Kursus "uji"' },
      { number: 2, count: 5 },
      'https://contoh.id/pelatihan/1/pelajaran/2',
      'id',
    );
    expect(html).toContain('<h1>A &lt;b&gt;title&lt;/b&gt;</h1>');
    expect(html).toContain('Kursus &quot;uji&quot; · Pelajaran 2 dari 5');
    expect(html).toContain('<strong>tebal</strong>');
    expect(html).not.toContain('onerror');
  });
});
