import type { QuestionVersion } from '../banks/question-bank.entity.js';
import type { PickIds } from './pick-ids.js';

/** What an answer save needs of one item, fixed at the attempt's start. */
export interface SnapshotItem {
  type: string;
  /** The item's opaque-id mapping, prepared once rather than on every save. */
  ids: PickIds;
}

/**
 * What never changes in an attempt after its start: whose it is and, per slot, the
 * question's type and its pick-id mapping (the versions an attempt shows are never edited:
 * an edit makes a new version). Not its status, deadline or answers: those are checked and
 * written in the database by the save itself.
 */
export interface AttemptSnapshot {
  userId: string;
  items: Map<number, SnapshotItem>;
}

/**
 * A bounded least-recently-used cache of attempt snapshots, per process. It holds only
 * immutable data, so several processes (cluster workers, instances) can each keep their
 * own with nothing to invalidate; a snapshot evicted is simply loaded again. It never
 * decides access: the save's `UPDATE` checks the caller against the attempt's owner.
 */
export class AttemptSnapshots {
  private readonly entries = new Map<string, AttemptSnapshot>();

  /**
   * About 33 kB a snapshot of 20 four-option items (measured), so ~35 MB when full: room for
   * the open attempts of a large exam session per process. Past it, the least recently
   * saved attempts are read again on their next save (slower, never wrong).
   */
  constructor(private readonly capacity = 1_000) {}

  get(attemptId: string): AttemptSnapshot | undefined {
    const found = this.entries.get(attemptId);
    if (found) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(attemptId);
      this.entries.set(attemptId, found);
    }
    return found;
  }

  set(attemptId: string, snapshot: AttemptSnapshot): void {
    this.entries.delete(attemptId);
    this.entries.set(attemptId, snapshot);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Question versions an attempt has shown, by `questionId:version`, per process and bounded
 * (least recently used go first). A version is kept only once marked used, and a used
 * version is never changed (an edit makes a new one), so every process may keep its own
 * copy with nothing to invalidate. Grading and views of attempts read them from here.
 */
export class UsedVersions {
  private readonly entries = new Map<string, QuestionVersion>();

  constructor(private readonly capacity = 5_000) {}

  get(key: string): QuestionVersion | undefined {
    const found = this.entries.get(key);
    if (found) {
      this.entries.delete(key);
      this.entries.set(key, found);
    }
    return found;
  }

  /** Keeps `version` if it is used; an unused one may still be edited in place. */
  remember(version: QuestionVersion): void {
    if (!version.usedAt) return;
    const key = `${version.questionId}:${version.version}`;
    this.entries.delete(key);
    this.entries.set(key, version);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
