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

/** Why a password is refused (Bahasa Indonesia), or null when it is acceptable. */
export function passwordProblem(
  password: string,
  owner: { nip?: string | null; email?: string | null } = {},
): string | null {
  if (password.length < PASSWORD_MIN_LENGTH)
    return `Kata sandi minimal ${PASSWORD_MIN_LENGTH} karakter`;
  if (password.length > 200) return 'Kata sandi maksimal 200 karakter';
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || /^(.)\1+$/.test(password) || /^\d+$/.test(password))
    return 'Kata sandi terlalu umum atau mudah ditebak';
  if (owner.nip && lower.includes(owner.nip)) return 'Kata sandi tidak boleh memuat NIP';
  const local = owner.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local))
    return 'Kata sandi tidak boleh memuat alamat e-mail';
  return null;
}
