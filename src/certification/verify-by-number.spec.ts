import { initials } from './certificates.service.js';

describe('initials: the holder as a lookup by printed number shows them', () => {
  it.each([
    ['Nurhayati Harahap', 'N*** H***'],
    ['dr. Fadli Nasution', 'D*** F*** N***'],
    ['Siti Aminah Lubis, S.Pd.', 'S*** A*** L*** S*** P***'],
    ["  'Ali  O'Neil ", 'A*** O***'],
    ['Élise Ödegaard', 'É*** Ö***'],
    ['123 -', ''],
  ])('%j → %j', (name, expected) => {
    expect(initials(name)).toBe(expected);
  });

  it('hides the length of each word', () => {
    expect(initials('Ab Abcdefghijkl')).toBe('A*** A***');
  });
});
