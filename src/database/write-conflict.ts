/**
 * Answers that mean "someone else got there first" or "not now", never a broken database:
 * a duplicate key (the row is taken), a deadlock or lock wait (on Galera, a conflict with a
 * write on another node surfaces as 1213 at commit) and SQLite's busy/locked.
 */
export function isWriteConflict(error: unknown): boolean {
  const e = error as {
    code?: string;
    errno?: number;
    driverError?: { code?: string; errno?: number };
  } | null;
  const code = e?.driverError?.code ?? e?.code ?? '';
  const errno = e?.driverError?.errno ?? e?.errno;
  return (
    code === 'ER_DUP_ENTRY' ||
    code === 'ER_LOCK_DEADLOCK' ||
    code === 'ER_LOCK_WAIT_TIMEOUT' ||
    errno === 1062 ||
    errno === 1213 ||
    errno === 1205 ||
    code.startsWith('SQLITE_BUSY') ||
    code.startsWith('SQLITE_LOCKED') ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}
