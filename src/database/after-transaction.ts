import type {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';

const pending = new WeakMap<QueryRunner, (() => void)[]>();
const watched = new WeakSet<DataSource>();

/**
 * Runs `work` once the transaction `manager` belongs to has ended (committed or rolled back);
 * at once when there is none. For effects outside the database that must not run ahead of
 * what the transaction wrote, such as telling caches to forget a row.
 */
export function afterTransaction(manager: EntityManager, work: () => void): void {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) return work();
  watch(manager.connection);
  pending.set(runner, [...(pending.get(runner) ?? []), work]);
}

function watch(dataSource: DataSource): void {
  if (watched.has(dataSource)) return;
  watched.add(dataSource);
  const settle = ({ queryRunner }: TransactionCommitEvent | TransactionRollbackEvent) => {
    // A savepoint ended: the outer transaction is still open.
    if (queryRunner.isTransactionActive) return;
    const works = pending.get(queryRunner);
    pending.delete(queryRunner);
    for (const work of works ?? []) work();
  };
  const subscriber: EntitySubscriberInterface = {
    afterTransactionCommit: settle,
    afterTransactionRollback: settle,
  };
  dataSource.subscribers.push(subscriber);
}
