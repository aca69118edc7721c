import { DEFAULT_NUMBER_FORMAT } from './certification.entity.js';
import { formatNumber } from './certificate-format.js';

describe('formatNumber (certificate numbers)', () => {
  it("prints the sector's Indonesian code, the padded sequence, the scheme and the year", () => {
    expect(
      formatNumber(DEFAULT_NUMBER_FORMAT, { seq: 1, sectorCode: 'KES', scheme: 'ppi', year: 2026 }),
    ).toBe('001/SERT-KES/PPI/BKPSDM-PSP/2026');
    expect(
      formatNumber(DEFAULT_NUMBER_FORMAT, {
        seq: 1234,
        sectorCode: 'ADM',
        scheme: 'K-DATA',
        year: 2027,
      }),
    ).toBe('1234/SERT-ADM/K-DATA/BKPSDM-PSP/2027');
  });

  it("follows a scheme's own format, each placeholder wherever it stands", () => {
    expect(
      formatNumber('{year}.{SECTOR}.{seq}.{SECTOR}', {
        seq: 7,
        sectorCode: 'DIK',
        scheme: 'x',
        year: 2026,
      }),
    ).toBe('2026.DIK.007.DIK');
  });
});
