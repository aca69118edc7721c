import { createHmac } from 'node:crypto';
import ipaddr from 'ipaddr.js';

/** Wrong PINs a candidate may type before their seat locks until a proctor releases it. */
export const PIN_TRIES = 5;
export const PIN_DIGITS = 6;

/**
 * The session's PIN for one draw: six digits from an HMAC of the session's secret (which
 * never leaves the server), its re-draw epoch and the time window. Nothing a candidate sees
 * (ids, times, the previous PIN) lets them compute the next one; any instance computes the
 * same PIN without a write.
 */
export function pinOf(secret: string, epoch: number, window: number): string {
  const digest = createHmac('sha256', Buffer.from(secret, 'hex'))
    .update(`${epoch}:${window}`)
    .digest();
  // Dynamic truncation as in HOTP (RFC 4226): four bytes at an offset the digest chooses.
  const offset = digest[digest.length - 1] & 0x0f;
  const value = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 10 ** PIN_DIGITS).padStart(PIN_DIGITS, '0');
}

/** The PIN window `now` falls in: the PIN is re-drawn every `minutes`. */
export function windowOf(now: Date, minutes: number): number {
  return Math.floor(now.getTime() / (minutes * 60_000));
}

export interface PinState {
  secret: string;
  epoch: number;
  minutes: number;
}

/** The PIN valid now and when the next draw replaces it. */
export function currentPin(state: PinState, now: Date): { pin: string; expiresAt: Date } {
  const window = windowOf(now, state.minutes);
  return {
    pin: pinOf(state.secret, state.epoch, window),
    expiresAt: new Date((window + 1) * state.minutes * 60_000),
  };
}

/**
 * A typed PIN against the session's: `valid` only for the current draw; `stale` for the
 * draw just replaced (by time or by a proctor's re-draw), so the candidate is told to ask
 * for the new one rather than counted as guessing; anything else is `wrong`.
 */
export function checkPin(state: PinState, typed: string, now: Date): 'valid' | 'stale' | 'wrong' {
  const window = windowOf(now, state.minutes);
  if (same(typed, pinOf(state.secret, state.epoch, window))) return 'valid';
  const previous = [
    pinOf(state.secret, state.epoch, window - 1),
    ...(state.epoch > 0 ? [pinOf(state.secret, state.epoch - 1, window)] : []),
  ];
  return previous.some((p) => same(typed, p)) ? 'stale' : 'wrong';
}

const same = (a: string, b: string) => a.trim() === b;

/** Whether a CIDR range (IPv4 or IPv6) is well formed. */
export function isIpRange(range: string): boolean {
  try {
    ipaddr.parseCIDR(range.trim());
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether `ip` is inside one of `ranges`. An IPv4 client seen as IPv4-mapped IPv6
 * (`::ffff:10.0.0.5`) is compared as IPv4; a malformed address is outside everything.
 */
export function inRanges(ip: string | undefined, ranges: readonly string[]): boolean {
  if (!ranges.length) return true;
  if (!ip || !ipaddr.isValid(ip)) return false;
  let address = ipaddr.parse(ip);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress())
    address = (address as ipaddr.IPv6).toIPv4Address();
  return ranges.some((range) => {
    const [network, bits] = ipaddr.parseCIDR(range.trim());
    return network.kind() === address.kind() && address.match([network, bits]);
  });
}
