import { checkPin, currentPin, inRanges, isIpRange, pinOf, windowOf } from './session-rules.js';

const secret = 'ab'.repeat(32);
const at = new Date('2026-12-10T01:05:00Z');
const state = (epoch = 0) => ({ secret, epoch, minutes: 15 });

describe('the session PIN', () => {
  it('is six digits, the same on every instance for one draw, different per secret', () => {
    const pin = currentPin(state(), at).pin;
    expect(pin).toMatch(/^\d{6}$/);
    expect(currentPin(state(), new Date(at.getTime() + 60_000)).pin).toBe(pin);
    expect(pinOf('cd'.repeat(32), 0, windowOf(at, 15))).not.toBe(pin);
  });

  it('expires at the end of its window', () => {
    expect(currentPin(state(), at).expiresAt.toISOString()).toBe('2026-12-10T01:15:00.000Z');
  });

  it('is valid now, stale once re-drawn or once its window ended, wrong otherwise', () => {
    const pin = currentPin(state(), at).pin;
    expect(checkPin(state(), pin, at)).toBe('valid');
    expect(checkPin(state(), ` ${pin} `, at)).toBe('valid');
    expect(checkPin(state(1), pin, at)).toBe('stale');
    expect(checkPin(state(), pin, new Date(at.getTime() + 15 * 60_000))).toBe('stale');
    // Two draws on, it is just wrong.
    expect(checkPin(state(2), pin, at)).toBe('wrong');
    expect(checkPin(state(), pin, new Date(at.getTime() + 30 * 60_000))).toBe('wrong');
    const other = String((Number(pin) + 1) % 1e6).padStart(6, '0');
    expect(checkPin(state(), other, at)).not.toBe('valid');
  });
});

describe('the room network', () => {
  it('tells well-formed CIDR ranges from the rest', () => {
    expect(isIpRange('10.20.0.0/24')).toBe(true);
    expect(isIpRange('2001:db8::/32')).toBe(true);
    for (const bad of ['10.20.0.0/33', '10.20.0.0', 'lab', '']) expect(isIpRange(bad)).toBe(false);
  });

  it('lets anyone in without ranges, and only addresses inside them otherwise', () => {
    expect(inRanges(undefined, [])).toBe(true);
    const room = ['10.20.0.0/24', '2001:db8::/32'];
    expect(inRanges('10.20.0.7', room)).toBe(true);
    expect(inRanges('::ffff:10.20.0.7', room)).toBe(true);
    expect(inRanges('2001:db8::1', room)).toBe(true);
    for (const outside of ['10.20.1.7', '127.0.0.1', '::1', 'not-an-ip', undefined])
      expect(inRanges(outside, room)).toBe(false);
  });
});
