import { randomUUID } from 'node:crypto';
import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { columnSpec as c } from '../columns.js';

/**
 * JP is credited once per course identity (its code, across versions) per user and year,
 * unless the course is repeatable (ADR 0018). Each ledger line names the course and version it
 * came from; a line that counts carries the course code in `creditKey`, unique per user and
 * year, so two completions at once cannot both count. A refused line keeps 0 JP and the
 * version that was credited before. Existing ledgers are put right: of the lines a learner
 * earned twice for one course in one year, the first counts and the later ones are refused.
 */
export class JpOncePerCourse1765670400000 implements MigrationInterface {
  name = 'JpOncePerCourse1765670400000';

  async up(q: QueryRunner): Promise<void> {
    // Null is "not repeatable": no column default, so TypeORM reads nothing back after an
    // insert (its read-back of many rows at once can mix up their ids on SQLite).
    await q.addColumn('courses', new TableColumn(c.bool('repeatable', true)));
    await q.addColumns('jp_credits', [
      new TableColumn(c.string('courseCode', 40, true)),
      new TableColumn(c.int('courseVersion', true)),
      new TableColumn(c.string('creditKey', 40, true)),
      new TableColumn(c.int('refusedVersion', true)),
    ]);
    const rows: {
      id: string;
      userId: string;
      year: number | string;
      title: string;
      code: string;
      version: number | string;
    }[] = await q.manager
      .createQueryBuilder()
      .select('j.id', 'id')
      .addSelect('j.userId', 'userId')
      .addSelect('j.year', 'year')
      .addSelect('j.title', 'title')
      .addSelect('co.code', 'code')
      .addSelect('co.version', 'version')
      .from('jp_credits', 'j')
      .innerJoin('enrollments', 'e', 'e.id = j.sourceId')
      .innerJoin('courses', 'co', 'co.id = e.courseId')
      .where("j.source = 'course'")
      .orderBy('j.completedAt', 'ASC')
      .addOrderBy('j.id', 'ASC')
      .getRawMany();
    const counted = new Map<string, number>();
    for (const row of rows) {
      const key = `${row.userId}|${row.year}|${row.code}`;
      const first = counted.get(key);
      if (first === undefined) counted.set(key, Number(row.version));
      await q.manager
        .createQueryBuilder()
        .update('jp_credits')
        .set(
          first === undefined
            ? { courseCode: row.code, courseVersion: Number(row.version), creditKey: row.code }
            : {
                courseCode: row.code,
                courseVersion: Number(row.version),
                creditKey: null,
                refusedVersion: first,
                jp: 0,
              },
        )
        .where('id = :id', { id: row.id })
        .execute();
      // The holder is told why their total went down (in Bahasa Indonesia, like every notice).
      if (first !== undefined)
        await q.manager
          .createQueryBuilder()
          .insert()
          .into('notifications')
          .values({
            id: randomUUID(),
            userId: row.userId,
            kind: 'jp.withdrawn',
            title: `JP dikoreksi: ${row.title}`.slice(0, 200),
            body:
              `JP pelatihan "${row.title}" (versi ${Number(row.version)}) tidak dihitung lagi: ` +
              `kursus ini sudah dikreditkan tahun ${Number(row.year)} (versi ${first}). ` +
              'JP sebuah pelatihan dihitung sekali setahun di semua versinya.',
            link: '/pembelajaran',
            readAt: null,
            createdAt: new Date(),
          })
          .execute();
    }
    await q.createIndex(
      'jp_credits',
      new TableIndex({
        name: 'uq_jp_credits_once',
        columnNames: ['userId', 'year', 'creditKey'],
        isUnique: true,
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('jp_credits', 'uq_jp_credits_once');
    for (const column of ['refusedVersion', 'creditKey', 'courseVersion', 'courseCode'])
      await q.dropColumn('jp_credits', column);
    await q.dropColumn('courses', 'repeatable');
  }
}
