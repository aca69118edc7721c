import type { AppConfig } from '../../config/app-config.js';
import type { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../http/domain-error.js';
import { LoginThrottle } from './login-throttle.service.js';

type Recorded = Parameters<AuditService['record']>[0];

const throttle = (limits: Partial<AppConfig> = {}, audited: Recorded[] = []) =>
  new LoginThrottle(
    {
      redisPrefix: 'unit',
      loginRateLimitPerIp: 1000,
      loginRateLimitPerAccount: 1000,
      loginFailuresPerAccountIp: 3,
      loginFailuresPerIp: 5,
      loginFailuresPerAccount: 4,
      ...limits,
    } as AppConfig,
    null,
    { record: async (entry: Recorded) => void audited.push(entry) } as AuditService,
  );

/** The status an attempt gets: 'ok' when let through, else the domain error's code. */
const tryIt = async (t: LoginThrottle, ip: string, username: string, userId: string | null) => {
  try {
    return { status: 'ok' as const, ticket: await t.attempt(ip, username, userId) };
  } catch (error) {
    if (error instanceof DomainError) return { status: error.code, ticket: null };
    throw error;
  }
};

describe('LoginThrottle', () => {
  it('holds the guessing address, not the owner elsewhere; a right password clears its pair', async () => {
    const t = throttle();
    for (let i = 0; i < 3; i++) expect((await tryIt(t, '1.1.1.1', 'siti', 'u1')).status).toBe('ok');
    expect((await tryIt(t, '1.1.1.1', 'siti', 'u1')).status).toBe('auth.throttled');
    const owner = await tryIt(t, '2.2.2.2', 'SITI ', 'u1');
    expect(owner.status).toBe('ok');
    await owner.ticket!.succeeded('u1');
    // Two failures from the owner's address, a success, and the pair starts again.
    for (let i = 0; i < 2; i++) await tryIt(t, '2.2.2.2', 'siti', 'u1');
    await (await tryIt(t, '2.2.2.2', 'siti', 'u1')).ticket!.succeeded('u1');
    for (let i = 0; i < 3; i++) expect((await tryIt(t, '2.2.2.2', 'siti', 'u1')).status).toBe('ok');
  });

  it('counts failures per address across usernames (spraying), giving back each success', async () => {
    const t = throttle();
    for (let i = 0; i < 10; i++)
      await (await tryIt(t, '3.3.3.3', `ok${i}`, `u${i}`)).ticket!.succeeded(`u${i}`);
    for (let i = 0; i < 5; i++)
      expect((await tryIt(t, '3.3.3.3', `x${i}`, null)).status).toBe('ok');
    expect((await tryIt(t, '3.3.3.3', 'x9', null)).status).toBe('auth.throttled');
    expect((await tryIt(t, '4.4.4.4', 'x9', null)).status).toBe('ok');
  });

  it('stops a spread guess at the account ceiling, except from an address the owner signed in from; staff hear of it once', async () => {
    const audited: Recorded[] = [];
    const t = throttle({}, audited);
    await (await tryIt(t, '5.5.5.5', 'admin@uji.example', 'a1')).ticket!.succeeded('a1');
    for (let i = 0; i < 4; i++)
      expect((await tryIt(t, `9.9.9.${i}`, 'admin@uji.example', 'a1')).status).toBe('ok');
    expect((await tryIt(t, '9.9.9.99', 'admin@uji.example', 'a1')).status).toBe('auth.throttled');
    expect((await tryIt(t, '9.9.9.98', 'admin@uji.example', 'a1')).status).toBe('auth.throttled');
    expect((await tryIt(t, '5.5.5.5', 'admin@uji.example', 'a1')).status).toBe('ok');
    expect(audited).toEqual([
      expect.objectContaining({
        action: 'auth.throttled',
        entityId: 'a1',
        detail: { by: 'account', username: 'admin@uji.example' },
        ip: '9.9.9.99',
      }),
    ]);
  });

  it('treats a username with no account exactly like one with an account', async () => {
    const t = throttle();
    const known: string[] = [];
    const unknown: string[] = [];
    for (let i = 0; i < 5; i++) {
      known.push((await tryIt(t, '6.6.6.6', 'ada', 'k1')).status);
      unknown.push((await tryIt(t, '7.7.7.7', 'tidak-ada', null)).status);
    }
    expect(unknown).toEqual(known);
    expect(known).toEqual(['ok', 'ok', 'ok', 'auth.throttled', 'auth.throttled']);
  });
});
