import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import { afterTransaction } from './after-transaction.js';
import { MAX_TRIES, retryOnConflict } from './conflict-retry.js';

const retries = new WeakMap<DataSource, number>();

/** Transactions of `dataSource` run again after a conflict since boot (for the metrics). */
export function transactionRetries(dataSource: DataSource): number {
  return retries.get(dataSource) ?? 0;
}

/**
 * Runs work in one database transaction, and lets the code it calls join that transaction
 * without being handed it.
 *
 * `run(work)` binds the transaction's manager to the async context (`AsyncLocalStorage`);
 * `manager()` and `repository()` return it anywhere below, or the data source's own manager
 * outside a transaction. A `run` inside a `run` joins the outer transaction: a rule that
 * needs a transaction can ask for one without knowing whether its caller holds one.
 *
 * A transaction that loses a conflict (a deadlock, a lock wait timeout, and on a Galera
 * cluster a write of the same row committed first on another node) is rolled back by the
 * server and run again whole, up to {@link MAX_TRIES} times with a jittered pause: `work`
 * must therefore decide from what it reads inside the transaction, so that a second run
 * after the other side committed gives the answer the first would have had on one server
 * (the double start finds the attempt, the double submit the result). Effects outside the
 * database belong after the commit (`afterCommit`, events emitted by the caller). A conflict
 * still lost after the last try leaves as it came: a 503 with Retry-After.
 *
 * On SQLite TypeORM shares one connection between all transactions, so two concurrent
 * ones would nest as savepoints and a later rollback could undo an earlier commit.
 * Write transactions are therefore queued one at a time there; MySQL runs them in parallel.
 */
@Injectable()
export class TransactionService {
  private readonly logger = new Logger('Transactions');
  private queue: Promise<unknown> = Promise.resolve();
  private readonly serialise: boolean;
  private readonly context = new AsyncLocalStorage<{ manager: EntityManager; open: boolean }>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.serialise = dataSource.options.type === 'better-sqlite3';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const joined = this.active();
    if (joined) return work(joined);
    const begin = () =>
      this.dataSource.transaction(async (manager) => {
        const bound = { manager, open: true };
        try {
          return await this.context.run(bound, () => work(manager));
        } finally {
          bound.open = false;
        }
      });
    const attempt = () => this.retried(begin);
    if (!this.serialise) return attempt();
    const result = this.queue.then(attempt);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Runs `begin` again while it loses a conflict; logs a conflict lost for good. */
  private async retried<T>(begin: () => Promise<T>): Promise<T> {
    let runs = 1;
    try {
      return await retryOnConflict(begin, () => {
        runs++;
        retries.set(this.dataSource, transactionRetries(this.dataSource) + 1);
      });
    } catch (error) {
      if (runs === MAX_TRIES)
        this.logger.warn({ err: error, runs }, 'Transaction lost its conflicts');
      throw error;
    }
  }

  /** The manager of the transaction this code runs in, else the data source's. */
  manager(): EntityManager {
    return this.active() ?? this.dataSource.manager;
  }

  /** Whether this code runs inside a transaction of `run`. */
  inTransaction(): boolean {
    return this.active() !== undefined;
  }

  /** `manager().getRepository(entity)`: the repository inside the current transaction, if any. */
  repository<E extends ObjectLiteral>(entity: EntityTarget<E>): Repository<E> {
    return this.manager().getRepository(entity);
  }

  /**
   * Runs `work` once the current transaction has ended (at once outside one): for effects
   * outside the database that must not run ahead of what the transaction wrote, such as
   * telling caches to forget a row.
   */
  afterCommit(work: () => void): void {
    afterTransaction(this.manager(), work);
  }

  /**
   * The bound transaction while its work runs. Work started inside a transaction can
   * outlive it (a listener, a timer): the context then still holds the ended transaction,
   * whose connection may already serve another one, and such work must run on its own.
   */
  private active(): EntityManager | undefined {
    const bound = this.context.getStore();
    return bound?.open ? bound.manager : undefined;
  }
}
