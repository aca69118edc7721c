import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columnSpec as c } from '../columns.js';

/**
 * Completion rests on evidence of study (ADR 0011): each course says how long a lesson must
 * have been open before it can be marked done, each completion keeps the minimum it met,
 * and each enrolment keeps its last completion, from which the next lesson's time counts.
 */
export class StudyEvidence1765152000000 implements MigrationInterface {
  name = 'StudyEvidence1765152000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('courses', [
      // Null is the platform default (50 %): no column default, so TypeORM reads nothing back.
      new TableColumn(c.int('minStudyPercent', true)),
      new TableColumn(c.int('minStudyMinutes', true)),
    ]);
    await q.addColumn('lesson_progress', new TableColumn(c.int('requiredSeconds', true)));
    await q.addColumn('enrollments', new TableColumn(c.dateTime('lastLessonCompletedAt', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('enrollments', 'lastLessonCompletedAt');
    await q.dropColumn('lesson_progress', 'requiredSeconds');
    await q.dropColumn('courses', 'minStudyMinutes');
    await q.dropColumn('courses', 'minStudyPercent');
  }
}
