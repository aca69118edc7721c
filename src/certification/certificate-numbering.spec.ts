import { CertificateNumbering, numberingPlan } from './certificate-numbering.js';

const at = (iso: string) => new Date(iso);

describe('numberingPlan (which certificate takes which number)', () => {
  it('numbers in issue order, ties broken by id, from the first free number and status place', () => {
    const plan = numberingPlan(
      [
        { id: 'c', issuedAt: at('2026-03-01T08:00:00.002Z') },
        { id: 'b', issuedAt: at('2026-03-01T08:00:00.001Z') },
        { id: 'a', issuedAt: at('2026-03-01T08:00:00.002Z') },
      ],
      41,
      1000,
    );
    expect(plan.map((p) => [p.certificate.id, p.seq, p.statusIndex])).toEqual([
      ['b', 41, 1000],
      ['a', 42, 1001],
      ['c', 43, 1002],
    ]);
  });

  it('takes exactly as many numbers as there are certificates: none, none taken', () => {
    expect(numberingPlan([], 7, 0)).toEqual([]);
  });
});

describe('CertificateNumbering.number (one at a time per scheme and year, calls coalesce)', () => {
  /** A numbering whose batches are counted and held open until released. */
  function harness() {
    const numbering = new (
      CertificateNumbering as unknown as new (...args: unknown[]) => CertificateNumbering
    )();
    const runs: { key: string; release: (n: number) => void }[] = [];
    let active = 0;
    let maxActive = 0;
    (numbering as unknown as { numberAll: unknown }).numberAll = (
      schemeId: string,
      year: number,
    ) => {
      active++;
      maxActive = Math.max(maxActive, active);
      return new Promise<number>((resolve) =>
        runs.push({
          key: `${schemeId}:${year}`,
          release: (n) => {
            active--;
            resolve(n);
          },
        }),
      );
    };
    return { numbering, runs, maxActive: () => maxActive };
  }
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('runs one numbering at a time for a scheme and year; calls made meanwhile share the next', async () => {
    const { numbering, runs, maxActive } = harness();
    const first = numbering.number('s1', 2026);
    await tick();
    const waiting = Array.from({ length: 10 }, () => numbering.number('s1', 2026));
    await tick();
    expect(runs).toHaveLength(1);
    runs[0].release(1);
    await tick();
    expect(runs).toHaveLength(2);
    runs[1].release(10);
    expect(await first).toBe(1);
    expect(await Promise.all(waiting)).toEqual(Array(10).fill(10));
    expect(maxActive()).toBe(1);
  });

  it('numbers different schemes or years side by side', async () => {
    const { numbering, runs, maxActive } = harness();
    const calls = [
      numbering.number('s1', 2026),
      numbering.number('s2', 2026),
      numbering.number('s1', 2027),
    ];
    await tick();
    expect(runs.map((r) => r.key).sort()).toEqual(['s1:2026', 's1:2027', 's2:2026']);
    for (const run of runs) run.release(1);
    expect(await Promise.all(calls)).toEqual([1, 1, 1]);
    expect(maxActive()).toBe(3);
  });

  it('a failed numbering does not block the next one', async () => {
    const { numbering, runs } = harness();
    (numbering as unknown as { numberAll: unknown }).numberAll = () =>
      Promise.reject(new Error('x'));
    await expect(numbering.number('s1', 2026)).rejects.toThrow('x');
    (numbering as unknown as { numberAll: unknown }).numberAll = () => Promise.resolve(3);
    expect(await numbering.number('s1', 2026)).toBe(3);
    expect(runs).toHaveLength(0);
  });
});
