import { type Localised, localised } from '../platform/i18n/i18n.js';

/**
 * NIP (Nomor Induk Pegawai): 18 digits. Digits 1–8 are the birth date (YYYYMMDD), 9–14 the
 * month of appointment (YYYYMM), 15 the gender (1 man, 2 woman) and 16–18 a sequence.
 * Returns the reason it is invalid, as a message translated where it is shown, or null
 * when it is valid.
 */
export function nipProblem(nip: string, today = new Date()): Localised | null {
  if (!/^\d{18}$/.test(nip)) return localised('nip.rule.digits');
  const birthYear = Number(nip.slice(0, 4));
  const birthMonth = Number(nip.slice(4, 6));
  const birthDay = Number(nip.slice(6, 8));
  const birth = new Date(Date.UTC(birthYear, birthMonth - 1, birthDay));
  if (
    birth.getUTCFullYear() !== birthYear ||
    birth.getUTCMonth() !== birthMonth - 1 ||
    birth.getUTCDate() !== birthDay
  ) {
    return localised('nip.rule.birthDate');
  }
  if (birthYear < 1940 || birth > today) return localised('nip.rule.birthYear');
  const appointedYear = Number(nip.slice(8, 12));
  const appointedMonth = Number(nip.slice(12, 14));
  if (appointedMonth < 1 || appointedMonth > 12) return localised('nip.rule.appointment');
  if (appointedYear < birthYear + 15 || appointedYear > today.getUTCFullYear() + 1) {
    return localised('nip.rule.appointmentYear');
  }
  if (nip[14] !== '1' && nip[14] !== '2') return localised('nip.rule.gender');
  if (nip.slice(15) === '000') return localised('nip.rule.serial');
  return null;
}

/**
 * 199003152015032001 → ********201503****: only the month of appointment (digits 9–14) shows;
 * the birth date (1–8), the gender (15) and the serial are hidden (UU PDP 27/2022). Anything
 * that is not an 18-digit NIP is hidden whole.
 */
export function maskNip(nip: string | null): string | null {
  if (!nip) return null;
  if (!/^\d{18}$/.test(nip)) return '*'.repeat(nip.length);
  return `${'*'.repeat(8)}${nip.slice(8, 14)}${'*'.repeat(4)}`;
}
