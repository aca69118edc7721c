import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NATIONAL_COMPETENCIES } from '../competency/national-competencies.js';
import { MatchingType } from '../assessment/question-types/matching.type.js';
import { loadContentPack, packProblems, type ContentPack } from './content-pack.js';

const national = NATIONAL_COMPETENCIES.map((c) => c.code);
const modulesDir = join(process.cwd(), 'modules');
const sectorDirs = readdirSync(modulesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

describe('content packs of the sectors', () => {
  const packs = new Map<string, ContentPack>(
    sectorDirs.map((key) => [key, loadContentPack(join(modulesDir, key, 'content'))]),
  );
  const allCodes = [...packs.values()].flatMap((p) => [
    ...p.competencies.map((c) => c.code),
    ...p.positions.map((c) => c.code),
    ...p.courses.map((c) => c.code),
    ...p.assessments.map((c) => c.code),
    ...p.schemes.map((c) => c.code),
  ]);

  it.each(sectorDirs)(
    '%s: every file valid, every reference resolved, every question parsed',
    (key) => {
      expect(packProblems(packs.get(key)!, national)).toEqual([]);
    },
  );

  it.each(sectorDirs)(
    '%s: every question passes the same definition check as the API (issue 24)',
    (key) => {
      const seen: string[] = [];
      const check = (type: string, definition: unknown) => {
        seen.push(type);
        return type === 'matching' ? new MatchingType().validate(definition) : [];
      };
      expect(packProblems(packs.get(key)!, national, [], check)).toEqual([]);
      expect(seen.length).toBe(packs.get(key)!.banks.flatMap((b) => b.questions).length);
    },
  );

  it('refuses two questions of one bank file with the same idnumber', () => {
    const pack = packs.get('health')!;
    const [bank, ...others] = pack.banks;
    const questions = bank.questions.map((q, i) => ({ ...q, idnumber: i < 2 ? 'X-1' : null }));
    expect(
      packProblems({ ...pack, banks: [{ ...bank, questions }, ...others] }, national),
    ).toContain(`${bank.file}: idnumber X-1 ganda`);
  });

  it('a pack question the API would refuse stops the pack, named by file, line and name', () => {
    const pack = packs.get('health')!;
    const problems = packProblems(pack, national, [], (type) =>
      type === 'matching' ? ['right must list at least two items'] : [],
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^banks\/kes-ppi\.gift:\d+ PPI-22 .*: right must list at least two items$/,
      ),
    );
  });

  it.each(sectorDirs)('%s: enough to run a first certification round', (key) => {
    const pack = packs.get(key)!;
    expect(pack.competencies.length).toBeGreaterThanOrEqual(6);
    expect(pack.positions.length).toBeGreaterThanOrEqual(3);
    expect(pack.courses.length).toBeGreaterThanOrEqual(3);
    for (const course of pack.courses) {
      expect(course.lessons.length).toBeGreaterThanOrEqual(4);
      for (const lesson of course.lessons)
        expect(lesson.body.split(/\s+/).length).toBeGreaterThan(250);
    }
    expect(pack.schemes.length).toBeGreaterThanOrEqual(1);
    for (const scheme of pack.schemes) {
      expect(scheme.courses.length + scheme.assessments.length).toBeGreaterThan(0);
      for (const { assessment } of scheme.assessments) {
        const bank = pack.assessments.find((a) => a.code === assessment)!.bank;
        const questions = pack.banks.find((b) => b.code === bank)!.questions;
        expect(questions.length).toBeGreaterThanOrEqual(40);
        // Mixed types, never essays (a first round cannot wait for graders).
        expect(new Set(questions.map((q) => q.type)).size).toBeGreaterThanOrEqual(4);
        expect(questions.some((q) => q.type === 'essay')).toBe(false);
      }
    }
  });

  it('uses each code once across the sectors', () => {
    expect(allCodes.filter((c, i) => allCodes.indexOf(c) !== i)).toEqual([]);
  });

  it('reports a broken reference with its file and item', () => {
    const pack = [...packs.values()].find((p) => p.schemes.length)!;
    const broken: ContentPack = {
      ...pack,
      schemes: [{ ...pack.schemes[0], courses: ['TIDAK-ADA'] }],
    };
    expect(packProblems(broken, national)).toContain(
      `schemes.json ${pack.schemes[0].code}: pelatihan TIDAK-ADA tidak ada`,
    );
  });

  it('refuses a study minimum out of range, or both kinds at once', () => {
    const pack = [...packs.values()].find((p) => p.courses.length)!;
    const course = pack.courses[0];
    const problems = (over: Partial<ContentPack['courses'][number]>) =>
      packProblems({ ...pack, courses: [{ ...course, ...over }] }, national).filter((p) =>
        p.includes('minStudy'),
      );
    expect(problems({ minStudyPercent: 0 })).toEqual([]);
    expect(problems({ minStudyMinutes: 10 })).toEqual([]);
    expect(problems({ minStudyPercent: 120 })).toEqual([
      `courses.json ${course.code}: minStudyPercent harus bilangan bulat 0–100`,
    ]);
    expect(problems({ minStudyMinutes: -1 })).toHaveLength(1);
    expect(problems({ minStudyPercent: 50, minStudyMinutes: 5 })).toEqual([
      `courses.json ${course.code}: pilih salah satu, minStudyPercent atau minStudyMinutes`,
    ]);
  });

  it('takes repeatable as a boolean only (ADR 0018)', () => {
    const pack = [...packs.values()].find((p) => p.courses.length)!;
    const course = pack.courses[0];
    const problems = (repeatable: unknown) =>
      packProblems(
        { ...pack, courses: [{ ...course, repeatable: repeatable as boolean }] },
        national,
      ).filter((p) => p.includes('repeatable'));
    expect(problems(undefined)).toEqual([]);
    expect(problems(true)).toEqual([]);
    expect(problems('ya')).toEqual([
      `courses.json ${course.code}: repeatable harus true atau false`,
    ]);
  });

  it("refuses a pack that attests a national competency or another sector's (ADR 0012)", () => {
    const health = packs.get('health')!;
    const education = packs.get('education')!;
    const [scheme] = health.schemes;
    const [exam] = health.assessments;
    const crossing: ContentPack = {
      ...health,
      schemes: [{ ...scheme, attests: [...scheme.attests, { competencyCode: 'M.1', level: 5 }] }],
      assessments: [
        { ...exam, attests: [{ competencyCode: 'DIK.DATA', level: 5 }] },
        ...health.assessments.slice(1),
      ],
    };
    const otherSectors = education.competencies.map((c) => c.code);
    const problems = packProblems(
      crossing,
      [...national, ...otherSectors],
      [...national, ...otherSectors],
    );
    expect(problems).toContain(
      `schemes.json ${scheme.code}: kompetensi M.1 bukan milik sektor ini; paket hanya boleh menyatakan kompetensi teknis sektornya sendiri`,
    );
    expect(problems).toContain(
      `assessments.json ${exam.code}: kompetensi DIK.DATA bukan milik sektor ini; paket hanya boleh menyatakan kompetensi teknis sektornya sendiri`,
    );
    // The same pack installed over a platform where its own codes already belong elsewhere.
    const adopted = health.competencies[0].code;
    expect(
      packProblems(
        { ...health, schemes: [{ ...scheme, attests: [{ competencyCode: adopted, level: 2 }] }] },
        national,
        [adopted],
      ),
    ).toContain(
      `schemes.json ${scheme.code}: kompetensi ${adopted} bukan milik sektor ini; paket hanya boleh menyatakan kompetensi teknis sektornya sendiri`,
    );
  });
});
