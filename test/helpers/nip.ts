/** A valid NIP for test person `n` (distinct for n < 100,000). */
export function aNip(n: number): string {
  const year = 1970 + (n % 30);
  const month = String((n % 12) + 1).padStart(2, '0');
  const day = String((n % 28) + 1).padStart(2, '0');
  const appointed = `${year + 25}${String(((n >> 3) % 12) + 1).padStart(2, '0')}`;
  const gender = (n % 2) + 1;
  const sequence = String((Math.floor(n / 30) % 999) + 1).padStart(3, '0');
  return `${year}${month}${day}${appointed}${gender}${sequence}`;
}
