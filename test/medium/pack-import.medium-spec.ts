import { AssessmentModule } from '../../src/assessment/assessment.module.js';
import { BankPackImport, QuestionPackImport } from '../../src/assessment/banks/bank-pack-import.js';
import { QuestionVersion } from '../../src/assessment/banks/question-bank.entity.js';
import { AssessmentPackImport } from '../../src/assessment/engine/assessment-pack-import.js';
import { CertificationModule } from '../../src/certification/certification.module.js';
import { CertificationScheme } from '../../src/certification/certification.entity.js';
import { SchemePackImport } from '../../src/certification/scheme-pack-import.js';
import { Course, Lesson } from '../../src/learning/course.entity.js';
import { CoursePackImport, type PackCourse } from '../../src/learning/course-pack-import.js';
import { LearningModule } from '../../src/learning/learning.module.js';
import type {
  ContentKind,
  PackImportContext,
  PackImporter,
} from '../../src/registry/pack-import.js';
import { bootMedium, type MediumApp } from '../helpers/medium.js';

/** What content sync gives an importer: the sector, the time, and the ids of earlier items. */
function contextOf(refs: Record<string, string> = {}): PackImportContext {
  return {
    sector: 'health',
    now: new Date('2026-12-01T08:00:00Z'),
    ref: (kind: ContentKind, code: string) => refs[`${kind}:${code}`],
  };
}

const course = (title: string): PackCourse => ({
  code: 'MED-1',
  title,
  summary: 'Ringkasan',
  objectives: ['Memahami'],
  jp: 2,
  competencies: [],
  lessons: [
    { title: 'Pelajaran 1', durationMinutes: 20, body: '# Satu' },
    { title: 'Pelajaran 2', durationMinutes: 0, body: '# Dua' },
  ],
});

describe('the domains install their part of a content pack (medium)', () => {
  let m: MediumApp;
  beforeAll(async () => {
    m = await bootMedium([LearningModule, AssessmentModule, CertificationModule]);
  });
  afterAll(() => m.close());

  it('a course: published with its lessons, a new version for a changed pack, a local edit noticed', async () => {
    const courses: PackImporter<PackCourse> = m.get(CoursePackImport);
    const context = contextOf();
    const first = await courses.write(course('Kursus A'), context, null);
    const stored = await m.dataSource.getRepository(Course).findOneByOrFail({ id: first });
    expect(stored).toMatchObject({ version: 1, status: 'published', sector: 'health', jp: 2 });
    // A lesson without minutes counts 15: the course's duration is what the lessons say.
    expect(stored.durationMinutes).toBe(35);
    expect(await m.dataSource.getRepository(Lesson).countBy({ courseId: first })).toBe(2);

    const hash = await courses.recordHash(first, context);
    expect(await courses.recordHash(first, context)).toBe(hash);
    await m.dataSource.getRepository(Course).update({ id: first }, { title: 'Diubah koordinator' });
    expect(await courses.recordHash(first, context)).not.toBe(hash);

    // A published course is never edited: the pack's change is the next version.
    const second = await courses.write(course('Kursus A, revisi'), context, first);
    expect(second).not.toBe(first);
    const versions = await m.dataSource
      .getRepository(Course)
      .find({ where: { code: 'MED-1' }, order: { version: 'ASC' } });
    expect(versions.map((c) => [c.version, c.status])).toEqual([
      [1, 'archived'],
      [2, 'published'],
    ]);
    await courses.archive(second, context.now);
    expect((await m.dataSource.getRepository(Course).findOneByOrFail({ id: second })).status).toBe(
      'archived',
    );
  });

  it('a question: edited in place until an attempt has shown it, then a new version', async () => {
    const banks = m.get(BankPackImport);
    const questions = m.get(QuestionPackImport);
    const bankId = await banks.write({ name: 'Bank medium' }, contextOf(), null);
    const context = contextOf({ 'bank:MED': bankId });
    const question = (stem: string) => ({
      bank: 'MED',
      name: 'Q1',
      type: 'true_false',
      stem,
      definition: { answer: true },
      generalFeedback: '',
      category: 'Dasar/Lanjut',
      tags: ['kesulitan:mudah'],
      idnumber: null,
    });
    const id = await questions.write(question('Versi satu'), context, null);
    await questions.write(question('Versi satu, diperbaiki'), context, id);
    const versions = m.dataSource.getRepository(QuestionVersion);
    expect((await versions.findBy({ questionId: id })).map((v) => v.stem)).toEqual([
      'Versi satu, diperbaiki',
    ]);
    await versions.update({ questionId: id }, { usedAt: new Date() });
    await questions.write(question('Versi dua'), context, id);
    const after = await versions.find({ where: { questionId: id }, order: { version: 'ASC' } });
    expect(after.map((v) => [v.version, v.stem])).toEqual([
      [1, 'Versi satu, diperbaiki'],
      [2, 'Versi dua'],
    ]);
  });

  it('a scheme: active only when it asks for something earned, and its exams by the pack’s codes', async () => {
    const bankId = await m.get(BankPackImport).write({ name: 'Bank skema' }, contextOf(), null);
    const examId = await m.get(AssessmentPackImport).write(
      {
        code: 'UJI-MED',
        title: 'Ujian',
        instructions: '',
        bank: 'B',
        count: 1,
        timeLimitMinutes: 30,
        passPercent: 70,
        maxAttempts: 2,
        reviewPolicy: 'score',
        attests: [],
      },
      contextOf({ 'bank:B': bankId }),
      null,
    );
    const schemes = m.get(SchemePackImport);
    const scheme = (code: string, assessments: { assessment: string; minPercent: number }[]) => ({
      code,
      title: code,
      description: '',
      targetPositions: [],
      courses: [],
      assessments,
      approval: false,
      rules: [],
      attests: [],
      validityMonths: 24,
      renewal: null,
    });
    const context = contextOf({ 'assessment:UJI-MED': examId });
    const empty = await schemes.write(scheme('SKEMA-KOSONG', []), context, null);
    const real = await schemes.write(
      scheme('SKEMA-UJI', [{ assessment: 'UJI-MED', minPercent: 80 }]),
      context,
      null,
    );
    const rows = m.dataSource.getRepository(CertificationScheme);
    expect((await rows.findOneByOrFail({ id: empty })).status).toBe('draft');
    const stored = await rows.findOneByOrFail({ id: real });
    expect(stored.status).toBe('active');
    expect(stored.requirements.assessments).toEqual([{ assessmentId: examId, minPercent: 80 }]);
    expect(stored.requiresSupervision).toBe(false);
    // The same code again adopts the scheme made before instead of making a second one.
    expect(await schemes.write(scheme('SKEMA-UJI', []), context, null)).toBe(real);
  });

  it('a scheme may require supervision; saying nothing keeps the hash it had before the flag', async () => {
    const bankId = await m.get(BankPackImport).write({ name: 'Bank sesi' }, contextOf(), null);
    const examId = await m.get(AssessmentPackImport).write(
      {
        code: 'UJI-SESI',
        title: 'Ujian tersupervisi',
        instructions: '',
        bank: 'B',
        count: 1,
        timeLimitMinutes: 30,
        passPercent: 70,
        maxAttempts: 2,
        reviewPolicy: 'score',
        attests: [],
      },
      contextOf({ 'bank:B': bankId }),
      null,
    );
    const schemes = m.get(SchemePackImport);
    const pack = {
      code: 'SKEMA-SESI',
      title: 'Skema sesi',
      description: '',
      targetPositions: [],
      courses: [],
      assessments: [{ assessment: 'UJI-SESI', minPercent: 75 }],
      approval: false,
      rules: [],
      attests: [],
      validityMonths: 24,
      renewal: null,
    };
    const context = contextOf({ 'assessment:UJI-SESI': examId });
    const id = await schemes.write(pack, context, null);
    const rows = m.dataSource.getRepository(CertificationScheme);
    expect((await rows.findOneByOrFail({ id })).requiresSupervision).toBe(false);
    const plain = await schemes.recordHash(id);
    await schemes.write({ ...pack, requiresSupervision: true }, context, id);
    expect((await rows.findOneByOrFail({ id })).requiresSupervision).toBe(true);
    const supervised = await schemes.recordHash(id);
    expect(supervised).not.toBe(plain);
    await schemes.write(pack, context, id);
    expect((await rows.findOneByOrFail({ id })).requiresSupervision).toBe(false);
    expect(await schemes.recordHash(id)).toBe(plain);
  });
});
