import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { columnSpec as c } from '../columns.js';

/**
 * Supervised exam sessions (ADR 0024): the session with its proctors, seats, incidents and
 * minutes; the assessment's `supervised` switch; an attempt's session and pause; and the
 * append-only answer trail.
 */
export class ExamSessions1766275200000 implements MigrationInterface {
  name = 'ExamSessions1766275200000';

  async up(q: QueryRunner): Promise<void> {
    // 0, not false: the default the entity's `default: false` is compared as on SQLite.
    await q.addColumn('assessments', new TableColumn({ ...c.bool('supervised'), default: 0 }));
    await q.addColumns('attempts', [
      new TableColumn(c.ref('sessionId', true)),
      new TableColumn(c.dateTime('pausedAt', true)),
      new TableColumn(c.string('voidedFor', 20, true)),
      new TableColumn(c.ref('deviceSession', true)),
    ]);
    await q.createIndex(
      'attempts',
      new TableIndex({ name: 'idx_attempts_session', columnNames: ['sessionId'] }),
    );
    await q.createTable(
      new Table({
        name: 'exam_sessions',
        columns: [
          c.id(),
          c.ref('assessmentId'),
          c.string('sector', 40),
          c.dateTime('startsAt'),
          c.dateTime('endsAt'),
          c.string('location', 200),
          c.int('capacity'),
          c.json('ipRanges'),
          c.bool('selfBooking'),
          c.bool('boardShowsNames'),
          c.int('pinMinutes'),
          c.string('pinSecret', 64),
          c.int('pinEpoch'),
          c.string('status', 20),
          c.dateTime('closedAt', true),
          c.ref('closedBy', true),
          c.ref('createdBy', true),
          c.dateTime('createdAt'),
        ],
        foreignKeys: [c.foreignKey('assessmentId', 'assessments', 'CASCADE')],
        indices: [
          { name: 'idx_exam_sessions_assessment', columnNames: ['assessmentId', 'startsAt'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'session_proctors',
        columns: [c.id(), c.ref('sessionId'), c.ref('userId')],
        foreignKeys: [
          c.foreignKey('sessionId', 'exam_sessions', 'CASCADE'),
          c.foreignKey('userId', 'users', 'CASCADE'),
        ],
        indices: [
          { name: 'uq_session_proctors', columnNames: ['sessionId', 'userId'], isUnique: true },
          { name: 'idx_session_proctors_user', columnNames: ['userId'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'session_candidates',
        columns: [
          c.id(),
          c.ref('sessionId'),
          c.ref('userId'),
          c.int('seat'),
          c.string('status', 20),
          c.int('pinFailures'),
          c.dateTime('lockedAt', true),
          c.dateTime('checkedInAt', true),
          c.ref('attemptId', true),
          c.string('source', 10),
          c.dateTime('createdAt'),
        ],
        foreignKeys: [
          c.foreignKey('sessionId', 'exam_sessions', 'CASCADE'),
          c.foreignKey('userId', 'users', 'CASCADE'),
        ],
        indices: [
          { name: 'uq_session_candidates', columnNames: ['sessionId', 'userId'], isUnique: true },
          {
            name: 'uq_session_candidates_number',
            columnNames: ['sessionId', 'seat'],
            isUnique: true,
          },
          { name: 'idx_session_candidates_user', columnNames: ['userId'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'session_incidents',
        columns: [
          c.id(),
          c.ref('sessionId'),
          c.string('kind', 20),
          c.ref('userId', true),
          c.ref('attemptId', true),
          c.int('minutes', true),
          c.text('reason'),
          c.ref('actorId', true),
          c.dateTime('at'),
        ],
        foreignKeys: [c.foreignKey('sessionId', 'exam_sessions', 'CASCADE')],
        indices: [{ name: 'idx_session_incidents_session', columnNames: ['sessionId', 'at'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'session_minutes',
        columns: [
          c.id(),
          c.ref('sessionId'),
          c.int('version'),
          c.ref('correctsId', true),
          c.text('correction', true),
          c.string('fileKey', 300),
          c.string('sha256', 64),
          c.ref('createdBy', true),
          c.dateTime('createdAt'),
        ],
        foreignKeys: [c.foreignKey('sessionId', 'exam_sessions', 'RESTRICT')],
        indices: [
          {
            name: 'uq_session_minutes_version',
            columnNames: ['sessionId', 'version'],
            isUnique: true,
          },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'answer_trail',
        columns: [
          c.id(),
          c.ref('attemptId'),
          c.int('slot'),
          c.json('response', true),
          c.int('seq'),
          c.dateTime('at'),
          c.ref('deviceSession', true),
          c.string('ip', 45, true),
        ],
        foreignKeys: [c.foreignKey('attemptId', 'attempts', 'CASCADE')],
        indices: [{ name: 'idx_answer_trail_attempt', columnNames: ['attemptId', 'slot', 'seq'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'answer_trail',
      'session_minutes',
      'session_incidents',
      'session_candidates',
      'session_proctors',
      'exam_sessions',
    ])
      await q.dropTable(table);
    await q.dropIndex('attempts', 'idx_attempts_session');
    await q.dropColumn('attempts', 'deviceSession');
    await q.dropColumn('attempts', 'voidedFor');
    await q.dropColumn('attempts', 'pausedAt');
    await q.dropColumn('attempts', 'sessionId');
    await q.dropColumn('assessments', 'supervised');
  }
}
