import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs reads that tolerate a little lag (reports, catalogues) on a read replica.
 *
 * With `DATABASE_REPLICA_URLS` set, the data source sends everything to the primary
 * (`replication.defaultMode: 'master'`), so a read reaches a replica only when it asks here.
 * Never use it for what must see a write just made: an exam, a login, a page shown after
 * a save. Without replicas the work simply runs on the primary.
 *
 * ```ts
 * const rows = await this.replicas.run((db) => db.createQueryBuilder().from(User, 'u')…);
 * ```
 *
 * Code called from inside `run` reaches the same manager through `manager()`.
 */
@Injectable()
export class ReplicaReads {
  private readonly logger = new Logger('ReplicaReads');
  private readonly context = new AsyncLocalStorage<EntityManager>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const within = (manager: EntityManager) => this.context.run(manager, () => work(manager));
    if (!this.dataSource.driver.isReplicated) return within(this.dataSource.manager);
    const runner = this.dataSource.createQueryRunner('slave');
    try {
      try {
        await runner.connect();
      } catch (error) {
        // A replica down must not take the reports with it: the primary can answer them.
        const reason = (error as { code?: string }).code ?? (error as Error).message;
        this.logger.warn(`No read replica answers (${reason}); reading from the primary`);
        return await within(this.dataSource.manager);
      }
      return await within(runner.manager);
    } finally {
      await runner.release();
    }
  }

  /** The manager of the `run` this code is called from, else the primary's. */
  manager(): EntityManager {
    return this.context.getStore() ?? this.dataSource.manager;
  }
}
