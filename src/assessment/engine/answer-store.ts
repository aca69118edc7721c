import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver.js';
import { retryOnConflict } from '../../database/conflict-retry.js';
import { TransactionService } from '../../database/transaction.service.js';

/** One answer save as the candidate sent it, already checked and in authoring ids. */
export interface AnswerWrite {
  attemptId: string;
  userId: string;
  slot: number;
  now: Date;
  /** Absent: a flag-only save, which leaves the answer and its sequence alone. */
  answer?: { response: unknown; seq: number };
  flagged?: boolean;
  /** Where the save came from, for the answer trail. */
  origin?: { deviceSession: string | null; ip: string | null };
}

type Params = (string | number | null)[];
type Callback = (error: Error | null, result: unknown) => void;
type Connection = {
  execute(sql: string, values: Params, cb: Callback): void;
  query(sql: string, cb: Callback): void;
  release(): void;
};
type ExecuteTarget = {
  execute(sql: string, values: Params, cb: Callback): void;
  getConnection(cb: (error: Error | null, connection: Connection) => void): void;
};

const TRAIL_INSERT =
  'INSERT INTO answer_trail (id, attemptId, slot, response, seq, at, deviceSession, ip)' +
  ' VALUES (?, ?, ?, ?, ?, ?, ?, ?)';

/**
 * The answer save as one conditional `UPDATE` (ADR 0021 for the sector): the caller's
 * ownership, the attempt still open, its deadline not passed and its sector not switched
 * off are all in the `WHERE`, so no check can go stale between a read and the write. 0 rows
 * means "not stored"; the caller then works out why. A stored answer (not a flag alone)
 * appends its row to the answer trail in the same transaction (ADR 0024): the trail's last
 * row of a slot is always the answer graded.
 *
 * On MySQL/MariaDB it runs as a prepared statement straight on the primary's pool (mysql2
 * keeps one prepared statement per connection and SQL text); on SQLite through TypeORM's
 * queued transactions, because the one connection may be inside another request's
 * transaction and a write beside it would commit or roll back with that one.
 */
@Injectable()
export class AnswerStore {
  private readonly sqlite: boolean;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionService,
  ) {
    this.sqlite = dataSource.options.type === 'better-sqlite3';
  }

  /** @returns whether the answer (or flag) was stored */
  async write(save: AnswerWrite): Promise<boolean> {
    const { sql, params } = this.updateOf(save);
    return (await this.run(sql, params, this.trailOf(save))) === 1;
  }

  private trailOf(save: AnswerWrite): Params | null {
    if (!save.answer) return null;
    const { response, seq } = save.answer;
    return [
      randomUUID(),
      save.attemptId,
      save.slot,
      response === null ? null : JSON.stringify(response),
      seq,
      this.dateOf(save.now),
      save.origin?.deviceSession ?? null,
      save.origin?.ip ?? null,
    ];
  }

  /** The slot's saved sequence (a save without `seq` continues from it), null if no slot. */
  async seqOf(attemptId: string, slot: number): Promise<number | null> {
    const sql = 'SELECT responseSeq FROM attempt_items WHERE attemptId = ? AND slot = ?';
    const rows = (await this.dataSource.query(sql, [attemptId, slot])) as {
      responseSeq: number | string;
    }[];
    return rows.length ? Number(rows[0].responseSeq) : null;
  }

  private updateOf(save: AnswerWrite): { sql: string; params: Params } {
    const now = this.dateOf(save.now);
    const set: string[] = [];
    const params: Params = [];
    if (save.answer) {
      set.push('response = ?', 'responseSeq = ?', 'answeredAt = ?');
      // JSON as text on both engines, as TypeORM's simple-json writes it.
      const { response, seq } = save.answer;
      params.push(response === null ? null : JSON.stringify(response), seq, now);
    }
    if (save.flagged !== undefined) {
      set.push('flagged = ?');
      params.push(save.flagged ? 1 : 0);
    }
    params.push(save.attemptId, save.slot);
    // A retry that arrives after a newer save of the slot changes nothing.
    const seq = save.answer ? ' AND responseSeq < ?' : '';
    if (save.answer) params.push(save.answer.seq);
    params.push(save.attemptId, save.userId, save.origin?.deviceSession ?? '', now);
    const sql =
      `UPDATE attempt_items SET ${set.join(', ')} WHERE attemptId = ? AND slot = ?${seq}` +
      ` AND EXISTS (${OPEN_OWN_ATTEMPT})`;
    return { sql, params };
  }

  /**
   * Dates as each engine's columns hold them: UTC `YYYY-MM-DD HH:MM:SS.mmm`, TypeORM's text
   * on SQLite (compared as text, so the format must match exactly) and a DATETIME(3)
   * literal on MySQL, whose connection zone is UTC.
   */
  private dateOf(date: Date): string {
    return date.toISOString().replace('T', ' ').replace('Z', '');
  }

  private async run(sql: string, params: Params, trail: Params | null): Promise<number> {
    if (this.sqlite)
      return this.transactions.run(async (manager) => {
        const runner = manager.queryRunner!;
        const affected = (await runner.query(sql, params, true)).affected ?? 0;
        if (affected === 1 && trail) await runner.query(TRAIL_INSERT, trail);
        return affected;
      });
    // A submit grading this attempt can deadlock with the save, and on a Galera cluster a
    // save of the same slot through another node wins at commit; the server rolled the save
    // back, so running it again is safe (and then sees the newer seq or the attempt closed).
    return retryOnConflict(() => this.execute(sql, params, trail));
  }

  /** The update alone autocommits; with a trail row, both in one transaction. */
  private async execute(sql: string, params: Params, trail: Params | null): Promise<number> {
    const target = this.primary();
    if (!trail) return affectedRows(await call((cb) => target.execute(sql, params, cb)));
    const connection = await new Promise<Connection>((resolve, reject) =>
      target.getConnection((error, c) => (error ? reject(error) : resolve(c))),
    );
    try {
      await call((cb) => connection.query('START TRANSACTION', cb));
      try {
        const affected = affectedRows(await call((cb) => connection.execute(sql, params, cb)));
        if (affected === 1) await call((cb) => connection.execute(TRAIL_INSERT, trail, cb));
        await call((cb) => connection.query('COMMIT', cb));
        return affected;
      } catch (error) {
        await call((cb) => connection.query('ROLLBACK', cb)).catch(() => undefined);
        throw error;
      }
    } finally {
      connection.release();
    }
  }

  /** Writes go to the primary, also with read replicas configured. */
  private primary(): ExecuteTarget {
    const driver = this.dataSource.driver as MysqlDriver;
    return driver.poolCluster
      ? (driver.poolCluster as { of(pattern: string): ExecuteTarget }).of('MASTER')
      : (driver.pool as ExecuteTarget);
  }
}

const call = (run: (cb: Callback) => void) =>
  new Promise<unknown>((resolve, reject) =>
    run((error, result) => (error ? reject(error) : resolve(result))),
  );

const affectedRows = (result: unknown) => (result as { affectedRows: number }).affectedRows;

/**
 * The attempt is the caller's, from the device a supervised attempt is bound to, open, not
 * paused and within its deadline, and its assessment's sector
 * is not switched off (a sector with no state row counts as on, as in SectorsService).
 * `key` is quoted with backticks: reserved on MySQL, accepted by SQLite.
 */
const OPEN_OWN_ATTEMPT =
  "SELECT 1 FROM attempts a WHERE a.id = ? AND a.userId = ? AND a.status = 'in_progress'" +
  ' AND (a.deviceSession IS NULL OR a.deviceSession = ?)' +
  ' AND a.pausedAt IS NULL AND (a.deadline IS NULL OR a.deadline > ?)' +
  ' AND NOT EXISTS (SELECT 1 FROM assessments x JOIN sectors s ON s.`key` = x.sector' +
  ' WHERE x.id = a.assessmentId AND s.enabled = 0)';
