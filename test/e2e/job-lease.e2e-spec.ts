import { RefreshTokenCleanupJob } from '../../src/platform/auth/refresh-token-cleanup.job.js';
import { JobLeaseService, tickOf } from '../../src/platform/scheduler/job-lease.service.js';
import {
  bootTestApp,
  createTestDatabase,
  engine,
  TestApp,
  TestDatabase,
} from '../helpers/test-app.js';

/**
 * Two app instances on one database, as behind a load balancer: every instance's cron
 * fires, and each tick of a job must run in exactly one of them.
 */
describe(`job leases across two instances (${engine})`, () => {
  let db: TestDatabase;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    first = await bootTestApp({ database: db });
    second = await bootTestApp({ database: db });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await db.drop();
  });

  it('runs each tick once, whichever instance wins', async () => {
    const leases = [first.app.get(JobLeaseService), second.app.get(JobLeaseService)];
    const runs: string[] = [];
    const minute = 60_000;
    const start = tickOf(new Date('2026-11-27T10:00:30Z'), minute);

    for (let i = 0; i < 5; i++) {
      const tick = new Date(start.getTime() + i * minute);
      const outcomes = await Promise.all(
        [0, 1, 0, 1].map((n) =>
          leases[n].runOnce('test.counter', tick, minute, async () => {
            runs.push(tick.toISOString());
            await new Promise((resolve) => setTimeout(resolve, 10));
          }),
        ),
      );
      expect(outcomes.filter(Boolean)).toHaveLength(1);
    }
    expect(runs).toHaveLength(5);
    expect(new Set(runs).size).toBe(5);
  });

  it('does not run a tick again after it finished, nor an older tick', async () => {
    const lease = first.app.get(JobLeaseService);
    const tick = new Date('2026-11-27T12:00:00Z');
    expect(await lease.runOnce('test.once', tick, 60_000, async () => undefined)).toBe(true);
    expect(
      await second.app
        .get(JobLeaseService)
        .runOnce('test.once', tick, 60_000, async () => undefined),
    ).toBe(false);
    expect(
      await lease.runOnce(
        'test.once',
        new Date('2026-11-27T11:00:00Z'),
        60_000,
        async () => undefined,
      ),
    ).toBe(false);
  });

  it('lets another instance take the next tick while a live lease is held only after it expires', async () => {
    const [a, b] = [first.app.get(JobLeaseService), second.app.get(JobLeaseService)];
    const t1 = new Date('2026-11-27T13:00:00Z');
    const t2 = new Date('2026-11-27T13:01:00Z');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const long = a.runOnce('test.long', t1, 60_000, () => held);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The first run still holds a live lease: the next tick waits.
    expect(await b.runOnce('test.long', t2, 60_000, async () => undefined)).toBe(false);
    release();
    expect(await long).toBe(true);
    expect(
      await b.runOnce('test.long', new Date('2026-11-27T13:02:00Z'), 60_000, async () => undefined),
    ).toBe(true);
  });

  it('a real scheduled job (refresh-token cleanup) runs once per tick across instances', async () => {
    const now = new Date('2026-11-27T15:10:00Z');
    const outcomes = await Promise.all([
      first.app.get(RefreshTokenCleanupJob).tick(now),
      second.app.get(RefreshTokenCleanupJob).tick(now),
    ]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });

  // Last: it stops the first instance's scheduler.
  it('on shutdown lets a running job finish, takes no new tick, and hands the lease on', async () => {
    const [a, b] = [first.app.get(JobLeaseService), second.app.get(JobLeaseService)];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    const running = a.runOnce('test.shutdown', new Date('2026-11-27T16:00:00Z'), 60_000, () =>
      held.then(() => void (finished = true)),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const shutdown = a.beforeApplicationShutdown();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(finished).toBe(false); // still waiting for the job
    expect(
      await a.runOnce(
        'test.other',
        new Date('2026-11-27T16:00:00Z'),
        60_000,
        async () => undefined,
      ),
    ).toBe(false);
    release();
    await shutdown;
    expect(finished).toBe(true);
    expect(await running).toBe(true);
    expect(
      await b.runOnce(
        'test.shutdown',
        new Date('2026-11-27T16:01:00Z'),
        60_000,
        async () => undefined,
      ),
    ).toBe(true);
  });
});
