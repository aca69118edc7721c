import handlebars from 'handlebars';
import { valueHelper } from './value-helper.js';

describe('valueHelper', () => {
  const hb = handlebars.create();
  hb.registerHelper(
    'number',
    valueHelper(([value]) => (typeof value === 'number' ? value.toFixed(1).replace('.', ',') : '')),
  );

  it('formats what it is given', () => {
    expect(hb.compile('{{number score}}')({ score: 51.5 })).toBe('51,5');
    expect(hb.compile('{{number missing}}')({})).toBe('');
  });

  it('written bare, prints the field of its name, escaped, as if there were no helper', () => {
    expect(hb.compile('{{number}}')({ number: '001/SERT-KES/PPI/BKPSDM-PSP/2026' })).toBe(
      '001/SERT-KES/PPI/BKPSDM-PSP/2026',
    );
    expect(hb.compile('{{number}}')({ number: '<b>' })).toBe('&lt;b&gt;');
    expect(hb.compile('{{{number}}}')({ number: '<b>' })).toBe('<b>');
    expect(hb.compile('{{#each list}}[{{number}}]{{/each}}')({ list: [{ number: 7 }, {}] })).toBe(
      '[7][]',
    );
  });
});
