import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnSpec as c } from '../columns.js';

const fk = c.foreignKey;

/** Courses (versioned), lessons, enrolments, lesson progress and the JP ledger. */
export class Learning1764460800000 implements MigrationInterface {
  name = 'Learning1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'courses',
        columns: [
          c.id(),
          c.string('code', 40),
          c.int('version'),
          c.string('status', 20),
          c.string('sector', 40),
          c.string('title', 200),
          c.text('summary'),
          c.json('objectives'),
          c.json('competencies'),
          c.decimal('jp', 5, 2),
          c.int('durationMinutes'),
          c.dateTime('publishedAt', true),
          c.dateTime('createdAt'),
          c.dateTime('updatedAt'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_courses_code_version',
            columnNames: ['code', 'version'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_courses_sector_status', columnNames: ['sector', 'status'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'lessons',
        columns: [
          c.id(),
          c.ref('courseId'),
          c.int('position'),
          c.string('section', 200, true),
          c.string('title', 200),
          c.string('kind', 20),
          c.text('body', true),
          c.string('url', 1000, true),
          c.string('linkNote', 200, true),
          c.string('fileKey', 255, true),
          c.string('fileName', 200, true),
          c.int('fileSize', true),
          c.ref('assessmentId', true),
          c.bool('required'),
          c.int('durationMinutes'),
        ],
        indices: [
          new TableIndex({ name: 'idx_lessons_course', columnNames: ['courseId', 'position'] }),
        ],
        foreignKeys: [fk('courseId', 'courses', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'enrollments',
        columns: [
          c.id(),
          c.ref('userId'),
          c.ref('courseId'),
          c.string('status', 20),
          c.ref('assignedBy', true),
          c.dateTime('dueAt', true),
          c.dateTime('enrolledAt'),
          c.dateTime('completedAt', true),
        ],
        indices: [
          new TableIndex({
            name: 'uq_enrollments_user_course',
            columnNames: ['userId', 'courseId'],
            isUnique: true,
          }),
        ],
        foreignKeys: [fk('userId', 'users', 'CASCADE'), fk('courseId', 'courses', 'RESTRICT')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'lesson_progress',
        columns: [
          c.id(),
          c.ref('enrollmentId'),
          c.ref('lessonId'),
          c.dateTime('openedAt'),
          c.dateTime('completedAt', true),
        ],
        indices: [
          new TableIndex({
            name: 'uq_lesson_progress',
            columnNames: ['enrollmentId', 'lessonId'],
            isUnique: true,
          }),
        ],
        foreignKeys: [
          fk('enrollmentId', 'enrollments', 'CASCADE'),
          fk('lessonId', 'lessons', 'CASCADE'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'jp_credits',
        columns: [
          c.id(),
          c.ref('userId'),
          c.int('year'),
          c.decimal('jp', 5, 2),
          c.string('source', 20),
          c.string('sourceId', 36),
          c.string('title', 200),
          c.dateTime('startedAt'),
          c.dateTime('completedAt'),
          c.dateTime('createdAt'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_jp_credits_source',
            columnNames: ['source', 'sourceId'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_jp_credits_user_year', columnNames: ['userId', 'year'] }),
        ],
        foreignKeys: [fk('userId', 'users', 'CASCADE')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['jp_credits', 'lesson_progress', 'enrollments', 'lessons', 'courses'])
      await q.dropTable(table);
  }
}
