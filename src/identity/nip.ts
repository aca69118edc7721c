/**
 * NIP (Nomor Induk Pegawai): 18 digits. Digits 1–8 are the birth date (YYYYMMDD), 9–14 the
 * month of appointment (YYYYMM), 15 the gender (1 man, 2 woman) and 16–18 a sequence.
 * Returns the reason it is invalid, in Bahasa Indonesia, or null when it is valid.
 */
export function nipProblem(nip: string, today = new Date()): string | null {
  if (!/^\d{18}$/.test(nip)) return 'NIP harus 18 angka';
  const birthYear = Number(nip.slice(0, 4));
  const birthMonth = Number(nip.slice(4, 6));
  const birthDay = Number(nip.slice(6, 8));
  const birth = new Date(Date.UTC(birthYear, birthMonth - 1, birthDay));
  if (
    birth.getUTCFullYear() !== birthYear ||
    birth.getUTCMonth() !== birthMonth - 1 ||
    birth.getUTCDate() !== birthDay
  ) {
    return 'NIP: 8 angka pertama harus tanggal lahir yang sah (TTTTBBHH)';
  }
  if (birthYear < 1940 || birth > today) return 'NIP: tahun lahir tidak masuk akal';
  const appointedYear = Number(nip.slice(8, 12));
  const appointedMonth = Number(nip.slice(12, 14));
  if (appointedMonth < 1 || appointedMonth > 12)
    return 'NIP: angka 9–14 harus bulan pengangkatan yang sah (TTTTBB)';
  if (appointedYear < birthYear + 15 || appointedYear > today.getUTCFullYear() + 1) {
    return 'NIP: tahun pengangkatan tidak masuk akal untuk tanggal lahirnya';
  }
  if (nip[14] !== '1' && nip[14] !== '2') return 'NIP: angka ke-15 (jenis kelamin) harus 1 atau 2';
  if (nip.slice(15) === '000') return 'NIP: nomor urut (3 angka terakhir) tidak boleh 000';
  return null;
}
