/** True for a unique-key violation on either engine (both become a 409). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return (
    code === 'ER_DUP_ENTRY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/**
 * Error codes that mean the database cannot be reached or dropped the connection, not that
 * the query was wrong: mysql2's network and protocol codes, and the server's own "shutting
 * down", "connection killed" and "too many connections" answers.
 */
const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_CON_COUNT_ERROR',
  // Galera: 1047 "WSREP has not yet prepared node for application use" (a node joining,
  // catching up, or cut off from the primary component) and 1180 "Got error … during
  // COMMIT" (the node left the cluster while committing: whether it committed is unknown
  // here, so it is not retried; the client's retry finds out).
  'ER_UNKNOWN_COM_ERROR',
  'ER_ERROR_DURING_COMMIT',
]);

/**
 * Serialisation failures: the server rolled the whole transaction back and running it again
 * may succeed. 1213 is InnoDB's deadlock and Galera's certification conflict between nodes
 * (reported at commit), 1205 a lock wait that timed out (InnoDB rolls back only the
 * statement by default: the caller's transaction is rolled back whole before a retry), 1020
 * a row changed since it was read (snapshot isolation); SQLITE_BUSY another process holding
 * a file database.
 */
const SERIALISATION = new Set([
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_CHECKREAD',
  'SQLITE_BUSY',
]);

/** True when the transaction lost a conflict and may succeed if run again (see {@link SERIALISATION}). */
export function isSerialisationFailure(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return code !== undefined && SERIALISATION.has(code);
}

/**
 * True when the database is down, unreachable or not ready (MySQL/MariaDB, a Galera node out
 * of the primary component), or a conflict still lost after the transaction's retries: the
 * request may succeed later, so it is a 503 with Retry-After, never a 500 nor, in the access
 * guard, a 401. mysql2 marks every error that ends its connection `fatal`, including a
 * command sent on a connection the server has just closed, which carries no code.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as {
    code?: string;
    fatal?: boolean;
    driverError?: { code?: string; fatal?: boolean };
  } | null;
  const driver = e?.driverError ?? e;
  const code = driver?.code ?? e?.code;
  return (
    (code !== undefined && (UNAVAILABLE.has(code) || SERIALISATION.has(code))) ||
    driver?.fatal === true
  );
}

/**
 * "Someone else got there first, or holds it now", never a broken database: a duplicate key
 * (the row is taken), a lost conflict (on Galera a write through another node surfaces as
 * 1213 at commit), and SQLite's busy or locked file. For start-up work that races other
 * instances (the boot lease, content sync).
 */
export function isWriteConflict(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } } | null;
  const code = e?.driverError?.code ?? e?.code ?? '';
  return (
    isUniqueViolation(error) ||
    isSerialisationFailure(error) ||
    code.startsWith('SQLITE_BUSY') ||
    code.startsWith('SQLITE_LOCKED')
  );
}
