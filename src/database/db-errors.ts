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
]);

/**
 * True when the database is down or unreachable (MySQL/MariaDB): the request may succeed
 * later, so it is a 503, not a 500. mysql2 marks every error that ends its connection
 * `fatal`, including a command sent on a connection the server has just closed, which
 * carries no code.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as {
    code?: string;
    fatal?: boolean;
    driverError?: { code?: string; fatal?: boolean };
  } | null;
  const driver = e?.driverError ?? e;
  const code = driver?.code ?? e?.code;
  return (code !== undefined && UNAVAILABLE.has(code)) || driver?.fatal === true;
}
