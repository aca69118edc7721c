/**
 * Hostile files for the upload suite (issue 11): malformed and truncated files, zip bombs,
 * XML entity expansion (XXE, billion laughs), wrong encodings, and generators of hostile
 * GIFT, Moodle XML and CSV content.
 */
import fc from 'fast-check';
import { hostileString } from './hostile.js';
import { deflateBomb, sheetXml, xlsx, zip } from './zip.js';

/** A multipart body written by hand, so that it can be malformed on purpose. */
export function multipart(
  parts: { name: string; filename?: string; content: Buffer | string; type?: string }[],
  options: { boundary?: string; declared?: string | null; unterminated?: boolean } = {},
): { body: Buffer; contentType: string } {
  const boundary = options.boundary ?? 'hostile-boundary-7MA4YWxkTrZu0gW';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      `form-data; name="${part.name}"` +
      (part.filename !== undefined ? `; filename="${part.filename}"` : '');
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n` +
          (part.filename !== undefined
            ? `Content-Type: ${part.type ?? 'application/octet-stream'}\r\n`
            : '') +
          '\r\n',
        'utf8',
      ),
      Buffer.from(part.content),
      Buffer.from('\r\n'),
    );
  }
  if (!options.unterminated) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  const declared = options.declared === undefined ? boundary : options.declared;
  return {
    body: Buffer.concat(chunks),
    contentType:
      declared === null ? 'multipart/form-data' : `multipart/form-data; boundary=${declared}`,
  };
}

/** Bytes that are neither UTF-8 text nor any document type we accept, then random ones. */
export const garbage: fc.Arbitrary<Buffer> = fc
  .uint8Array({ minLength: 0, maxLength: 2048 })
  .map((bytes) => Buffer.concat([Buffer.from([0xff, 0x00, 0xc3, 0x28]), Buffer.from(bytes)]));

/** Filenames: traversal, control characters, header injection, odd Unicode, huge. */
export const hostileFilename: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '../../../../etc/passwd',
    '..\\..\\boot.ini',
    'laporan.pdf\u0000.exe',
    'a"; name="file',
    'x.pdf\r\nContent-Type: text/html',
    'laporan\u202Efdp.exe',
    '.pdf',
    '',
    ' ',
    'CON',
    'x'.repeat(5000) + '.pdf',
    '%2e%2e%2fpasswd',
    'берка́с.pdf',
    '𝕗𝕚𝕝𝕖.pdf',
  ),
  hostileString.map((s) => s.replace(/[\r\n"]/g, '_') + '.pdf'),
);

export const utf16le = (text: string) =>
  Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

const TRUE_FALSE = (name: string) =>
  `<question type="truefalse"><name><text>${name}</text></name><questiontext format="html"><text>Cuci tangan?</text></questiontext><answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>`;

export const MOODLE_XML = `<?xml version="1.0" encoding="UTF-8"?><quiz>${TRUE_FALSE('Soal')}</quiz>`;
export const GIFT = '::Soal:: Cuci tangan sebelum kontak pasien. {T}';

const LAUGHS =
  '<!DOCTYPE quiz [<!ENTITY lol "lol">' +
  Array.from(
    { length: 9 },
    (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
  ).join('') +
  ']>';

/**
 * XML that must be refused: entities (external, parameter, exponential), DTDs however
 * spelled or encoded, truncation, and what is not Moodle XML.
 */
export const HOSTILE_XML: Record<string, Buffer | string> = {
  'XXE (external entity)': `<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><quiz>${TRUE_FALSE('&xxe;')}</quiz>`,
  'XXE (parameter entity)': `<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY % p SYSTEM "http://169.254.169.254/latest/meta-data/"> %p;]><quiz>${TRUE_FALSE('x')}</quiz>`,
  'billion laughs': `<?xml version="1.0"?>${LAUGHS}<quiz>${TRUE_FALSE('&lol9;')}</quiz>`,
  'quadratic blow-up': `<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "${'a'.repeat(50_000)}">]><quiz>${TRUE_FALSE('&a;'.repeat(20_000))}</quiz>`,
  'DTD in lower case after a comment': `<!-- x --><!doctype quiz [<!entity xxe system "file:///etc/passwd">]><quiz>${TRUE_FALSE('&xxe;')}</quiz>`,
  'DTD in UTF-16': utf16le(
    `<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><quiz>${TRUE_FALSE('&xxe;')}</quiz>`,
  ),
  truncated: MOODLE_XML.slice(0, 120),
  'not Moodle XML': '<html><body><script>alert(1)</script></body></html>',
  'not XML at all': '{"quiz": []}',
};

/** Table files (CSV/XLSX) every table import must refuse. `header` is its real header. */
export function hostileTables(header: string[]): Record<string, Buffer | string> {
  const bomb = deflateBomb(4000);
  const honest = deflateBomb(1024);
  const valid = xlsx([header, header.map(() => 'x')]);
  const corrupt = Buffer.from(valid);
  corrupt.fill(0x55, 60, 400);
  const xml = (prolog: string, cell: string) =>
    `<?xml version="1.0"?>${prolog}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c t="inlineStr"><is><t>${cell}</t></is></c></row></sheetData></worksheet>`;
  const cellBombRows = 600_000;
  return {
    'XLSX zip bomb, 4 GB behind lying headers': xlsx([], { raw: bomb, declaredSize: 2000 }),
    'XLSX zip bomb, 1 GB declared': xlsx([], { raw: honest }),
    'XLSX with 150 files': zip(
      Array.from({ length: 150 }, (_, i) => ({ name: `xl/media/${i}.bin`, data: 'x' })),
    ),
    'XLSX truncated': valid.subarray(0, valid.length - 40),
    'XLSX cut in half': valid.subarray(0, Math.floor(valid.length / 2)),
    'XLSX corrupt': corrupt,
    'ZIP without a workbook': zip([{ name: 'a.txt', data: 'halo' }], { deflate: true }),
    'XLSX with XXE': xlsx([], {
      data: xml('<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', '&xxe;'),
    }),
    'XLSX with billion laughs': xlsx([], {
      data: xml(LAUGHS.replace('quiz', 'worksheet'), '&lol9;'),
    }),
    [`XLSX with ${cellBombRows} rows (within the zip budget)`]: xlsx([], {
      data: sheetXml([header]).replace(
        '</sheetData>',
        '<row><c t="inlineStr"><is><t>1</t></is></c></row>'.repeat(cellBombRows) + '</sheetData>',
      ),
    }),
    'XLSX with 2 000 000 cells in one row (within the zip budget)': xlsx([], {
      data: sheetXml([header]).replace(
        '</sheetData>',
        `<row r="2">${'<c><v>1</v></c>'.repeat(2_000_000)}</row></sheetData>`,
      ),
    }),
    'PK header and nothing else': Buffer.from('PK\x03\x04'),
    'CSV with an unbalanced quote': `${header.join(',')}\n"abc,def\n`,
    'CSV in UTF-16': utf16le(`${header.join(',')}\n1,2\n`),
    'CSV of 25 000 rows': `${header.join(',')}\n${'x,y,z\n'.repeat(25_000)}`,
    'CSV without the header': 'a,b,c\n1,2,3\n',
    'CSV of NUL bytes': Buffer.alloc(4096, 0),
  };
}

/** Documents that are not what a lesson or evidence file may be (by content). */
export const HOSTILE_DOCUMENTS: Record<string, { content: Buffer | string; filename: string }> = {
  'Windows executable named .pdf': {
    content: Buffer.from('MZ\x90\x00\x03\x00'),
    filename: 'laporan.pdf',
  },
  'ELF binary': { content: Buffer.from('\x7fELF\x02\x01\x01'), filename: 'laporan.docx' },
  'HTML with a script named .pdf': {
    content: '<html><script>alert(1)</script></html>',
    filename: 'x.pdf',
  },
  'SVG with a script': {
    content: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    filename: 'x.svg',
  },
  GIF: { content: 'GIF89a\x01\x00\x01\x00', filename: 'x.gif' },
  'ZIP named .zip': { content: zip([{ name: 'a.txt', data: 'x' }]), filename: 'arsip.zip' },
  'zip bomb named .jar': {
    content: zip([{ name: 'a', raw: deflateBomb(1024) }]),
    filename: 'bom.jar',
  },
  'PDF magic split by a NUL': { content: '%P\x00DF-1.4', filename: 'x.pdf' },
};

const giftFragment = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '::',
      '::Judul::',
      '{',
      '}',
      '{}',
      '=',
      '~',
      '#',
      '##',
      '####',
      ' -> ',
      '%50%',
      '%-100%',
      '%abc%',
      '%1e999%',
      '$CATEGORY: ',
      '$CATEGORY: a/b/../../c',
      '$CATEGORY: ' + 'a/'.repeat(500),
      '[html]',
      '[markdown]',
      '[moodle]',
      '\\',
      '\\{',
      '\\:',
      '\\n',
      '// [id:x] [tag:y]',
      '\n\n',
      '\r\n',
      '\uFEFF',
      'T',
      'FALSE',
      '#1..2',
      '#1:0.5',
      '#NaN:1',
      '#1e999:1',
      '=%100%',
      '{#',
      '{=a -> b =c -> d}',
      '{=a ~b}',
    ),
  },
  { weight: 2, arbitrary: hostileString },
);

/** GIFT-ish text: real syntax and hostile strings mixed. */
export const hostileGift: fc.Arbitrary<string> = fc
  .tuple(fc.array(giftFragment, { maxLength: 60 }), fc.constantFrom(1, 1, 1, 200))
  .map(([fragments, times]) => (fragments.join('') + '\n\n').repeat(times));

/** Escaped for XML text, without the control characters XML 1.0 cannot hold at all. */
const escapeXml = (s: string) =>
  [...s]
    .filter((ch) => {
      const c = ch.codePointAt(0)!;
      return (c >= 0x20 && c !== 0xfffe && c !== 0xffff) || c === 0x09 || c === 0x0a || c === 0x0d;
    })
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

const xmlValue = fc.oneof(
  hostileString.map(escapeXml),
  hostileString.filter((s) => !s.includes(']]>')).map((s) => `<![CDATA[${s}]]>`),
  fc.constantFrom('&#0;', '&#xD800;', '&#x110000;', '&amp;amp;', '&lt;script&gt;', '<b>x</b>', ''),
);

/** Moodle XML with hostile types, text, fractions and numbers in every slot. */
export const hostileMoodleXml: fc.Arbitrary<string> = fc
  .array(
    fc
      .record({
        type: fc.oneof(
          fc.constantFrom(
            'multichoice',
            'truefalse',
            'shortanswer',
            'numerical',
            'matching',
            'essay',
            'category',
            'cloze',
            'description',
          ),
          hostileString.map(escapeXml),
        ),
        name: xmlValue,
        text: xmlValue,
        single: fc.constantFrom('true', 'false', '0', 'ya', ''),
        answers: fc.array(
          fc.record({
            fraction: fc.oneof(
              fc.constantFrom('100', '-100', '50', 'NaN', '1e999', '', '100%', '33.33333'),
              hostileString.map(escapeXml),
            ),
            text: xmlValue,
            tolerance: fc.constantFrom('0', '-1', 'abc', '1e308', ''),
          }),
          { maxLength: 5 },
        ),
      })
      .map(
        (q) =>
          `<question type="${q.type}"><name><text>${q.name}</text></name><questiontext format="html"><text>${q.text}</text></questiontext><category><text>${q.text}</text></category><single>${q.single}</single>` +
          q.answers
            .map(
              (a) =>
                `<answer fraction="${a.fraction}"><text>${a.text}</text><tolerance>${a.tolerance}</tolerance><feedback><text>${a.text}</text></feedback></answer>` +
                `<subquestion><text>${a.text}</text><answer><text>${a.text}</text></answer></subquestion>`,
            )
            .join('') +
          '</question>',
      ),
    { maxLength: 6 },
  )
  .map((questions) => `<?xml version="1.0" encoding="UTF-8"?><quiz>${questions.join('')}</quiz>`);

const csvCell = fc
  .oneof(
    hostileString,
    fc.constantFrom(
      '=HYPERLINK("http://evil.example","klik")',
      "+cmd|' /C calc'!A0",
      '@SUM(1+1)',
      '-2+3',
      '"',
      '""',
      '\n',
      ';',
      ',',
      '199003152015032001',
      'x'.repeat(70_000),
    ),
  )
  .map((cell) => `"${cell.replace(/"/g, '""')}"`);

/**
 * CSV with the real header and hostile cells. `firstCell` marks the first cell of each row
 * so that the row can never be valid (a NIP or a position code no one has).
 */
export function hostileCsv(
  header: string[],
  firstCell: (cell: string) => string,
): fc.Arbitrary<string> {
  return fc
    .array(fc.array(csvCell, { minLength: header.length, maxLength: header.length + 2 }), {
      minLength: 1,
      maxLength: 8,
    })
    .map(
      (rows) =>
        `${header.join(',')}\n` +
        rows.map((cells) => [firstCell(cells[0]), ...cells.slice(1)].join(',')).join('\n'),
    );
}
