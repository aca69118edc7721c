import { textOf } from '../platform/i18n/i18n.js';
import { nipProblem } from './nip.js';

const today = new Date('2026-11-27T00:00:00Z');

describe('nipProblem', () => {
  it.each(['199003152015032001', '198512102010011003', '197804122003121002'])(
    'accepts %s',
    (nip) => {
      expect(nipProblem(nip, today)).toBeNull();
    },
  );

  it.each([
    ['19900315201503200', /18 angka/],
    ['19900315201503200a', /18 angka/],
    ['199002302015032001', /tanggal lahir/],
    ['199013012015032001', /tanggal lahir/],
    ['203001012015032001', /tahun lahir/],
    ['199003152015132001', /bulan pengangkatan/],
    ['199003152015002001', /bulan pengangkatan/],
    ['199003151995032001', /tahun pengangkatan/],
    ['199003152015033001', /jenis kelamin/],
    ['199003152015031000', /nomor urut/],
  ])('refuses %s', (nip, reason) => {
    const problem = nipProblem(nip, today);
    expect(problem && textOf('id', problem)).toMatch(reason);
  });

  it('says why in the reader’s language', () => {
    const problem = nipProblem('19900315201503200a', today)!;
    expect(textOf('en', problem)).toBe('The NIP must be 18 digits');
  });
});
