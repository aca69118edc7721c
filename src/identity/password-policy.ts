import { type Localised, localised } from '../platform/i18n/i18n.js';

/** A short list of passwords people actually choose here; anything on it is refused. */
const COMMON = new Set([
  '1234567890',
  '12345678910',
  'qwertyuiop',
  'password123',
  'password1234',
  'passw0rd123',
  'bismillah123',
  'indonesia123',
  'padangsidempuan',
  'sidempuan123',
  'admin12345',
  'rahasia123',
  'katasandi123',
  'asn12345678',
  'pegawai12345',
  'merdeka1945',
  'aaaaaaaaaa',
  'abcdefghij',
]);

export const PASSWORD_MIN_LENGTH = 10;

/** Why a password is refused (a message translated where it is shown), or null when it is acceptable. */
export function passwordProblem(
  password: string,
  owner: { nip?: string | null; email?: string | null } = {},
): Localised | null {
  if (password.length < PASSWORD_MIN_LENGTH)
    return localised('password.rule.tooShort', { min: PASSWORD_MIN_LENGTH });
  if (password.length > 200) return localised('password.rule.tooLong', { max: 200 });
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || /^(.)\1+$/.test(password) || /^\d+$/.test(password))
    return localised('password.rule.common');
  if (owner.nip && lower.includes(owner.nip)) return localised('password.rule.containsNip');
  const local = owner.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local))
    return localised('password.rule.containsEmail');
  return null;
}
