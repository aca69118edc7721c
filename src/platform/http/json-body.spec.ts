import { loneSurrogateAt, nestsDeeperThan } from './json-body.js';

describe('nestsDeeperThan', () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    expect(nestsDeeperThan('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(nestsDeeperThan('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(nestsDeeperThan('{"a":"[[[[[[[[[[[[\\"[[[["}', 1)).toBe(false);
    expect(nestsDeeperThan(Buffer.from('['.repeat(100_000)), 32)).toBe(true);
    expect(nestsDeeperThan('[]'.repeat(1000), 1)).toBe(false);
  });
});

describe('loneSurrogateAt', () => {
  it('finds a surrogate without its pair, in values and keys, and says where', () => {
    expect(loneSurrogateAt({ name: 'Nur 👩🏽‍⚕️', tags: ['a', 'b'] })).toBeNull();
    expect(loneSurrogateAt({ email: '\ud800' })).toBe('email');
    expect(loneSurrogateAt({ a: { b: ['x', 'y\udfffz'] } })).toBe('a.b[1]');
    expect(loneSurrogateAt({ ['k\ud83d']: 1 })).toBe('k\ud83d');
    expect(loneSurrogateAt('\udc00')).toBe('(isi)');
  });
});
