import { renderMarkdown } from './markdown.js';

describe('renderMarkdown', () => {
  it('renders headings, lists, tables and images', () => {
    const html = renderMarkdown(
      '# Judul\n\n- satu\n- dua\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n![Alat APD](https://contoh.id/apd.png)',
    );
    expect(html).toContain('<h2>Judul</h2>'); // one level under the page's own h1
    expect(html).toContain('<li>satu</li>');
    expect(html).toContain('<table>');
    expect(html).toContain('<img src="https://contoh.id/apd.png" alt="Alat APD" loading="lazy"');
  });

  it("starts a text's headings at h2 under the page's h1, whichever level its author began at", () => {
    expect(renderMarkdown('## Tujuan\n\nteks\n\n### Rincian\n\n## Lima momen')).toBe(
      '<h2>Tujuan</h2>\n<p>teks</p>\n<h3>Rincian</h3>\n<h2>Lima momen</h2>\n',
    );
    expect(renderMarkdown('# A\n\n## B\n\n### C')).toBe('<h2>A</h2>\n<h3>B</h3>\n<h4>C</h4>\n');
    expect(renderMarkdown('#### Catatan')).toBe('<h2>Catatan</h2>\n');
  });

  it('makes scripts, event handlers and javascript: links harmless', () => {
    const html = renderMarkdown(
      'Halo <script>alert(1)</script> <img src="x" onerror="alert(2)"> [klik](javascript:alert(3)) <a href="JaVaScRiPt:alert(4)">a</a> <iframe src="https://jahat.example"></iframe> <div onclick="x()">d</div>',
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/onerror|onclick/i);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toMatch(/<iframe/i);
    expect(html).toContain('Halo');
  });

  it('gives the same safe HTML when it is rendered again (from its cache)', () => {
    const source = 'Soal **penting** <img src=x onerror=alert(1)> [tautan](javascript:alert(1))';
    const first = renderMarkdown(source);
    expect(first).not.toMatch(/onerror|javascript:/);
    expect(renderMarkdown(source)).toBe(first);
    expect(renderMarkdown(`${source} `)).not.toMatch(/onerror|javascript:/);
  });

  it("keeps a question file's image and audio player, and nothing that runs", () => {
    const url = `/api/v1/question-files/${'c'.repeat(64)}`;
    const html = renderMarkdown(
      `<img src="${url}.png" alt="Rambu"> <audio controls src="${url}.mp3" onplay="alert(1)"></audio> <audio src="javascript:alert(1)"></audio>`,
    );
    expect(html).toContain(`<img src="${url}.png" alt="Rambu" loading="lazy" />`);
    expect(html).toContain(`<audio controls src="${url}.mp3"></audio>`);
    expect(html).not.toMatch(/onplay|javascript:/);
  });
});
