import { checkPin, currentPin, inRanges, isIpRange, pinOf, windowOf } from './session-rules.js';

const secret = 'a'.repeat(64);
const state = { secret, epoch: 0, minutes: 15 };
const at = (iso: string) => new Date(iso);

describe('session PIN', () => {
  it('is six digits, the same in every instance for one draw', () => {
    const pin = pinOf(secret, 0, 123);
    expect(pin).toMatch(/^\d{6}$/);
    expect(pinOf(secret, 0, 123)).toBe(pin);
  });

  it('cannot be computed without the secret: another secret draws other PINs', () => {
    const other = 'b'.repeat(64);
    const draws = Array.from({ length: 50 }, (_, w) => [pinOf(secret, 0, w), pinOf(other, 0, w)]);
    expect(draws.filter(([a, b]) => a === b).length).toBeLessThan(2);
  });

  it('changes with each window and each re-draw', () => {
    expect(new Set(Array.from({ length: 20 }, (_, w) => pinOf(secret, 0, w))).size).toBe(20);
    expect(pinOf(secret, 1, 5)).not.toBe(pinOf(secret, 0, 5));
  });

  it('is valid in its window only; the one just replaced is stale, anything else wrong', () => {
    const now = at('2026-12-10T01:07:00Z');
    const { pin, expiresAt } = currentPin(state, now);
    expect(checkPin(state, pin, now)).toBe('valid');
    expect(checkPin(state, ` ${pin} `, now)).toBe('valid');
    expect(expiresAt.toISOString()).toBe('2026-12-10T01:15:00.000Z');
    const later = new Date(expiresAt.getTime() + 1000);
    expect(checkPin(state, pin, later)).toBe('stale');
    const muchLater = new Date(expiresAt.getTime() + 16 * 60_000);
    expect(checkPin(state, pin, muchLater)).toBe('wrong');
    const redrawn = { ...state, epoch: 1 };
    expect(checkPin(redrawn, pin, now)).toBe('stale');
    expect(checkPin(redrawn, currentPin(redrawn, now).pin, now)).toBe('valid');
  });

  it('never takes a guess that is not the current PIN', () => {
    const now = at('2026-12-10T01:07:00Z');
    const { pin } = currentPin(state, now);
    const guess = String((Number(pin) + 1) % 1_000_000).padStart(6, '0');
    expect(checkPin(state, guess, now)).not.toBe('valid');
    expect(checkPin(state, '', now)).toBe('wrong');
  });

  it('counts windows from the epoch of time', () => {
    expect(windowOf(at('1970-01-01T00:14:59Z'), 15)).toBe(0);
    expect(windowOf(at('1970-01-01T00:15:00Z'), 15)).toBe(1);
  });
});

describe('room IP ranges', () => {
  it('accepts CIDR ranges of both families and refuses the rest', () => {
    expect(isIpRange('10.20.0.0/24')).toBe(true);
    expect(isIpRange('2001:db8::/32')).toBe(true);
    expect(isIpRange('10.20.0.0')).toBe(false);
    expect(isIpRange('10.20.0.0/33')).toBe(false);
    expect(isIpRange('semua')).toBe(false);
  });

  it('lets in only addresses inside a range; no ranges lets everyone in', () => {
    const room = ['10.20.0.0/24', '2001:db8::/32'];
    expect(inRanges('10.20.0.17', room)).toBe(true);
    expect(inRanges('::ffff:10.20.0.17', room)).toBe(true);
    expect(inRanges('2001:db8::5', room)).toBe(true);
    expect(inRanges('10.20.1.17', room)).toBe(false);
    expect(inRanges('127.0.0.1', room)).toBe(false);
    expect(inRanges(undefined, room)).toBe(false);
    expect(inRanges('bukan-ip', room)).toBe(false);
    expect(inRanges('127.0.0.1', [])).toBe(true);
  });
});
