import type { QuestionVersion } from '../banks/question-bank.entity.js';
import { LruMap } from '../../platform/cache/lru-map.js';
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
export class AttemptSnapshots extends LruMap<AttemptSnapshot> {
  /**
   * About 33 kB a snapshot of 20 four-option items (measured), so ~35 MB when full: room for
   * the open attempts of a large exam session per process. Past it, the least recently
   * saved attempts are read again on their next save (slower, never wrong).
   */
  constructor(capacity = 1_000) {
    super(capacity);
  }
}

/**
 * Question versions an attempt has shown, by `questionId:version`, per process and bounded
 * (least recently used go first). A version is kept only once marked used, and a used
 * version is never changed (an edit makes a new one), so every process may keep its own
 * copy with nothing to invalidate. Grading and views of attempts read them from here.
 */
export class UsedVersions {
  private readonly entries: LruMap<QuestionVersion>;

  constructor(capacity = 5_000) {
    this.entries = new LruMap(capacity);
  }

  get(key: string): QuestionVersion | undefined {
    return this.entries.get(key);
  }

  /** Keeps `version` if it is used; an unused one may still be edited in place. */
  remember(version: QuestionVersion): void {
    if (version.usedAt) this.entries.set(`${version.questionId}:${version.version}`, version);
  }
}
