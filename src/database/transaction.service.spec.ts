import type { DataSource, EntityManager } from 'typeorm';
import { isDatabaseUnavailable } from './db-errors.js';
import { MAX_TRIES, retryDelay } from './conflict-retry.js';
import { TransactionService, transactionRetries } from './transaction.service.js';

/** mysql2's error for a lost conflict: InnoDB's deadlock, Galera's certification failure. */
function conflict(): Error {
  return Object.assign(
    new Error('Deadlock found when trying to get lock; try restarting transaction'),
    {
      code: 'ER_LOCK_DEADLOCK',
      errno: 1213,
    },
  );
}

/** A data source whose transactions fail with `failures` (in order) before they succeed. */
function dataSource(failures: Error[]) {
  const runs: number[] = [];
  const source = {
    options: { type: 'mysql' },
    manager: {} as EntityManager,
    async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
      runs.push(runs.length + 1);
      const result = await work({} as EntityManager);
      const failure = failures.shift();
      if (failure) throw failure; // as the server does: at commit, after the work ran
      return result;
    },
  };
  return { source: source as unknown as DataSource, runs };
}

describe('TransactionService retries', () => {
  it('runs the whole transaction again after a conflict, and answers what the last run read', async () => {
    const { source, runs } = dataSource([conflict(), conflict()]);
    const transactions = new TransactionService(source);
    let reads = 0;
    await expect(transactions.run(async () => ++reads)).resolves.toBe(3);
    expect(runs).toEqual([1, 2, 3]);
    expect(transactionRetries(source)).toBe(2);
  });

  it('retries a lock wait timeout, not an error of the work itself', async () => {
    const timeout = Object.assign(new Error('Lock wait timeout exceeded'), {
      code: 'ER_LOCK_WAIT_TIMEOUT',
    });
    const { source, runs } = dataSource([timeout]);
    await expect(new TransactionService(source).run(async () => 'done')).resolves.toBe('done');
    expect(runs).toHaveLength(2);

    const duplicate = Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY' });
    const other = dataSource([duplicate]);
    await expect(new TransactionService(other.source).run(async () => 'done')).rejects.toBe(
      duplicate,
    );
    expect(other.runs).toHaveLength(1);
  });

  it(`gives up after ${MAX_TRIES} runs with the conflict, which the app answers as a 503`, async () => {
    const failures = Array.from({ length: MAX_TRIES + 2 }, conflict);
    const { source, runs } = dataSource(failures);
    const error = await new TransactionService(source).run(async () => 'never').catch((e) => e);
    expect(runs).toHaveLength(MAX_TRIES);
    expect((error as { code: string }).code).toBe('ER_LOCK_DEADLOCK');
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('does not retry a commit that failed because the node left the cluster (1180)', async () => {
    const commit = Object.assign(new Error('Got error 6 during COMMIT'), {
      code: 'ER_ERROR_DURING_COMMIT',
    });
    const { source, runs } = dataSource([commit]);
    await expect(new TransactionService(source).run(async () => 1)).rejects.toBe(commit);
    expect(runs).toHaveLength(1);
    expect(isDatabaseUnavailable(commit)).toBe(true);
  });

  it('leaves the retry to the outermost transaction: a joined run throws to it', async () => {
    const { source, runs } = dataSource([conflict()]);
    const transactions = new TransactionService(source);
    let inner = 0;
    await transactions.run(async () => {
      await transactions.run(async () => inner++);
    });
    expect(inner).toBe(2);
    expect(runs).toHaveLength(2);
  });
});

describe('retryDelay', () => {
  it('is a random share of a ceiling that doubles from 30 ms up to 400 ms', () => {
    expect(retryDelay(1, () => 0.999)).toBe(29);
    expect(retryDelay(2, () => 0.999)).toBe(59);
    expect(retryDelay(10, () => 0.999)).toBe(399);
    expect(retryDelay(3, () => 0)).toBe(0);
  });
});
