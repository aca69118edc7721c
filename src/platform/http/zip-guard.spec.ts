import { deflateBomb, xlsx, zip } from '../../../test/helpers/zip.js';
import { checkZip, XLSX_LIMITS, ZipRefusedError } from './zip-guard.js';

const limits = { maxEntries: 10, maxInflatedBytes: 1024 * 1024 };

describe('checkZip', () => {
  it('passes an honest archive and says how much it inflates to', () => {
    const file = xlsx([
      ['nip', 'nama'],
      ['199003152015032001', 'Nurhayati'],
    ]);
    expect(checkZip(file, XLSX_LIMITS)).toBeGreaterThan(500);
    expect(checkZip(zip([{ name: 'a.txt', data: 'halo' }]), limits)).toBe(4);
  });

  it('refuses a bomb, whether its headers tell the truth or lie', () => {
    const bomb = deflateBomb(32);
    expect(() => checkZip(zip([{ name: 'x.xml', raw: bomb }]), limits)).toThrow(/terlalu besar/);
    expect(() =>
      checkZip(zip([{ name: 'x.xml', raw: { ...bomb, crc: 0 }, declaredSize: 100 }]), limits),
    ).toThrow(/terlalu besar/);
  });

  it('refuses too many files, truncated and corrupt archives', () => {
    const many = zip(Array.from({ length: 11 }, (_, i) => ({ name: `${i}.txt`, data: 'x' })));
    expect(() => checkZip(many, limits)).toThrow(/terlalu banyak/);
    const file = xlsx([['nip']]);
    expect(() => checkZip(file.subarray(0, file.length - 30), limits)).toThrow(ZipRefusedError);
    expect(() => checkZip(file.subarray(0, 200), limits)).toThrow(/rusak/);
    const garbage = Buffer.from(file);
    garbage.fill(0x55, 40, 120);
    expect(() => checkZip(garbage, limits)).toThrow(ZipRefusedError);
    expect(() => checkZip(Buffer.from('PK\x03\x04'), limits)).toThrow(/rusak/);
  });
});
