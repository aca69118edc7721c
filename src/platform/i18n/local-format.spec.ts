import {
  formatDate,
  formatDateTime,
  formatDateTimeRange,
  formatNumber,
  formatPercent,
  formatTime,
  fromWallClock,
  isTimeZone,
  wallClock,
  zoneName,
} from './local-format.js';

describe('local formats', () => {
  const instant = new Date('2026-12-22T16:52:47Z');

  it('shows a time in the city zone with its Indonesian name and month', () => {
    expect(formatDateTime(instant, 'id', 'Asia/Jakarta')).toBe('22 Desember 2026, 23.52 WIB');
    expect(formatDateTime(instant, 'en', 'Asia/Jakarta')).toBe('22 December 2026, 23:52 WIB');
    expect(formatDateTime(instant, 'id', 'Asia/Makassar')).toBe('23 Desember 2026, 00.52 WITA');
    expect(formatDateTime(instant, 'id', 'Asia/Jayapura')).toBe('23 Desember 2026, 01.52 WIT');
    expect(formatDateTime('2026-12-22T16:52:47.000Z', 'id', 'Asia/Jakarta')).toBe(
      '22 Desember 2026, 23.52 WIB',
    );
    expect(formatDateTime(null, 'id', 'Asia/Jakarta')).toBe('');
    expect(formatDateTime('not a date', 'id', 'Asia/Jakarta')).toBe('');
  });

  it('shows a span within one day once, with both times; across days in full', () => {
    const start = '2026-12-22T01:00:00Z';
    expect(formatDateTimeRange(start, '2026-12-22T03:30:00Z', 'id', 'Asia/Jakarta')).toBe(
      '22 Desember 2026, 08.00–10.30 WIB',
    );
    expect(formatDateTimeRange(start, '2026-12-22T03:30:00Z', 'en', 'Asia/Jakarta')).toBe(
      '22 December 2026, 08:00–10:30 WIB',
    );
    // 23.00 to 01.00 WIB crosses midnight in the city, though not in UTC.
    expect(
      formatDateTimeRange('2026-12-22T16:00:00Z', '2026-12-22T18:00:00Z', 'id', 'Asia/Jakarta'),
    ).toBe('22 Desember 2026, 23.00 WIB – 23 Desember 2026, 01.00 WIB');
    expect(formatDateTimeRange(null, start, 'id', 'Asia/Jakarta')).toBe(
      '22 Desember 2026, 08.00 WIB',
    );
    expect(formatDateTimeRange(null, null, 'id', 'Asia/Jakarta')).toBe('');
  });

  it('gives the calendar day of the city, not of UTC', () => {
    expect(formatDate(new Date('2026-12-31T18:00:00Z'), 'id', 'Asia/Jakarta')).toBe(
      '1 Januari 2027',
    );
    expect(formatTime(instant, 'id', 'Asia/Jakarta')).toBe('23.52 WIB');
  });

  it('writes decimals with a comma in Indonesian', () => {
    expect(formatNumber(51.55, 'id')).toBe('51,55');
    expect(formatNumber(1234.5, 'id')).toBe('1.234,5');
    expect(formatNumber(1234.5, 'en')).toBe('1,234.5');
    expect(formatPercent(51.55, 'id')).toBe('51,55 %');
    expect(formatPercent(100, 'id')).toBe('100 %');
    expect(formatPercent(51.55, 'en')).toBe('51.55%');
  });

  it('reads and writes the wall clock of a zone both ways', () => {
    expect(wallClock(instant, 'Asia/Jakarta')).toBe('2026-12-22T23:52:47');
    expect(fromWallClock('2026-12-22T23:52', 'Asia/Jakarta')?.toISOString()).toBe(
      '2026-12-22T16:52:00.000Z',
    );
    expect(fromWallClock('2026-12-23T00:52', 'Asia/Makassar')?.toISOString()).toBe(
      '2026-12-22T16:52:00.000Z',
    );
    expect(fromWallClock('2026-02-31T10:00', 'Asia/Jakarta')).toBeNull();
    expect(fromWallClock('tomorrow', 'Asia/Jakarta')).toBeNull();
    // Years a formatter or the database cannot hold: refused, not a crash.
    expect(fromWallClock('9999-12-31T23:00', 'Asia/Jakarta')).toBeNull();
    expect(fromWallClock('0999-01-01T00:00', 'Asia/Jakarta')).toBeNull();
    expect(fromWallClock('1000-01-01T00:00', 'Asia/Jakarta')).toBeNull();
  });

  it('knows the zones by name', () => {
    expect(zoneName('Asia/Pontianak')).toBe('WIB');
    expect(zoneName('UTC')).toBe('UTC');
    expect(isTimeZone('Asia/Jakarta')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
