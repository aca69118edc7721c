import { Injectable } from '@nestjs/common';
import { insertRows, readRows, updateRows } from '../../database/raw-rows.js';
import { TransactionService } from '../../database/transaction.service.js';
import { Attempt, AttemptItem } from './assessment.entity.js';

/** An item whose grade a grading writes; `clearsPerson` drops a hand grade's author. */
export interface GradedRow {
  item: AttemptItem;
  clearsPerson: boolean;
}

/**
 * The statements an exam runs on every start, save and submit, in SQL of their own (see
 * `raw-rows.ts` for why): the attempt service decides, this class writes and reads. Each
 * runs in the transaction in context, if any.
 */
@Injectable()
export class AttemptsRepository {
  constructor(private readonly transactions: TransactionService) {}

  /** A new attempt and its items, in two INSERTs: ids are ours and nothing is read back. */
  async insertStarted(attempt: Attempt, items: readonly AttemptItem[]): Promise<void> {
    const manager = this.transactions.manager();
    await insertRows(manager, Attempt, [attempt]);
    await insertRows(manager, AttemptItem, items);
  }

  /** A candidate's attempts at an assessment: the open one, and what the limit counts. */
  ofCandidate(assessmentId: string, userId: string): Promise<Attempt[]> {
    return readRows(
      this.transactions.manager(),
      Attempt,
      'SELECT id, openKey, status, deadline, pausedAt, sessionId, voidedFor, deviceSession,' +
        ' purpose' +
        ' FROM attempts' +
        ' WHERE assessmentId = ? AND userId = ?',
      [assessmentId, userId],
    );
  }

  /** An attempt's row (every submit and view reads one). */
  async row(id: string): Promise<Attempt | null> {
    const sql = 'SELECT * FROM attempts WHERE id = ?';
    return (await readRows(this.transactions.manager(), Attempt, sql, [id]))[0] ?? null;
  }

  /** An attempt's items in slot order. */
  items(attemptId: string): Promise<AttemptItem[]> {
    return readRows(
      this.transactions.manager(),
      AttemptItem,
      'SELECT * FROM attempt_items WHERE attemptId = ? ORDER BY slot',
      [attemptId],
    );
  }

  /**
   * Moves an open attempt to submitted. The condition is the lock: exactly one caller
   * changes it. @returns whether this call did
   */
  async closeIfOpen(id: string, now: Date): Promise<boolean> {
    const changed = await updateRows(
      this.transactions.manager(),
      Attempt,
      { status: 'submitted', submittedAt: now, openKey: null },
      "id = ? AND status = 'in_progress'",
      [id],
    );
    return changed === 1;
  }

  /** Stores an attempt's result. */
  async storeResult(
    id: string,
    result: Pick<Attempt, 'status' | 'score' | 'maxScore' | 'percent' | 'passed' | 'gradedAt'>,
  ): Promise<void> {
    await updateRows(this.transactions.manager(), Attempt, result, 'id = ?', [id]);
  }

  /**
   * The item grades of one grading in one UPDATE: per-row values by `CASE id`, the same on
   * SQLite and MariaDB. Exactly what one UPDATE per item wrote: fraction, score, gradedAt, and
   * gradedBy and graderComment emptied where a machine grade replaces a hand-set one.
   */
  async writeItemGrades(rows: readonly GradedRow[], now: Date): Promise<void> {
    if (!rows.length) return;
    const manager = this.transactions.manager();
    const params: unknown[] = [];
    const caseOf = (value: (item: AttemptItem) => number | null) =>
      `CASE id ${rows
        .map(({ item }) => {
          params.push(item.id, value(item));
          return 'WHEN ? THEN ?';
        })
        .join(' ')} END`;
    const set = [`fraction = ${caseOf((i) => i.fraction)}`, `score = ${caseOf((i) => i.score)}`];
    const driver = manager.connection.driver;
    const gradedAt = manager.connection
      .getMetadata(AttemptItem)
      .findColumnWithPropertyName('gradedAt')!;
    set.push('gradedAt = ?');
    params.push(driver.preparePersistentValue(now, gradedAt));
    const cleared = rows.filter((r) => r.clearsPerson).map((r) => r.item.id);
    if (cleared.length)
      for (const column of ['gradedBy', 'graderComment']) {
        set.push(
          `${column} = CASE WHEN id IN (${cleared.map(() => '?').join(', ')}) THEN NULL ELSE ${column} END`,
        );
        params.push(...cleared);
      }
    params.push(...rows.map((r) => r.item.id));
    await manager.query(
      `UPDATE attempt_items SET ${set.join(', ')} WHERE id IN (${rows.map(() => '?').join(', ')})`,
      params,
    );
  }
}
