import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InterchangeQuestion } from '../assessment/interchange/gift.js';
import { parseGift } from '../assessment/interchange/gift.js';
import { questionMeta } from '../assessment/interchange/tags.js';
import type { PackBank } from '../assessment/banks/bank-pack-import.js';
import type { PackAssessment } from '../assessment/engine/assessment-pack-import.js';
import type { PackScheme } from '../certification/scheme-pack-import.js';
import type { PackCompetency, PackPosition } from '../competency/competency-pack-import.js';
import type { PackCourse } from '../learning/course-pack-import.js';
import { DELIVERY_MODES } from '../learning/delivery-modes.js';

/**
 * A sector's content as read from `modules/<key>/content/` (see docs/content-format.md).
 * Each part is typed by the domain that installs it.
 */
export interface ContentPack {
  competencies: PackCompetency[];
  positions: PackPosition[];
  courses: (Omit<PackCourse, 'lessons'> & {
    lessons: (PackCourse['lessons'][number] & { file: string })[];
  })[];
  banks: (PackBank & {
    code: string;
    file: string;
    questions: (InterchangeQuestion & { line: number })[];
    skipped: { line: number; name?: string; reason: string }[];
  })[];
  assessments: PackAssessment[];
  schemes: PackScheme[];
}

export class ContentError extends Error {}

function json<T>(dir: string, file: string): T[] {
  const path = join(dir, file);
  if (!existsSync(path)) return [];
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!Array.isArray(value)) throw new ContentError(`${file}: harus berupa array`);
    return value as T[];
  } catch (error) {
    if (error instanceof ContentError) throw error;
    throw new ContentError(`${file}: JSON tidak sah (${(error as Error).message})`);
  }
}

/** Reads a pack; missing files are empty lists. Shapes are checked by {@link packProblems}. */
export function loadContentPack(dir: string): ContentPack {
  const courses = json<ContentPack['courses'][number]>(dir, 'courses.json').map((c) => ({
    ...c,
    lessons: (c.lessons ?? []).map((l) => ({
      ...l,
      body:
        existsSync(join(dir, l.file ?? '')) && l.file
          ? readFileSync(join(dir, l.file), 'utf8')
          : '',
    })),
  }));
  const banks = json<{ code: string; name: string; file: string }>(dir, 'banks.json').map((b) => {
    const path = join(dir, b.file ?? '');
    const parsed =
      b.file && existsSync(path)
        ? parseGift(readFileSync(path))
        : { questions: [], skipped: [{ line: 0, reason: `berkas ${b.file} tidak ada` }] };
    return { ...b, questions: parsed.questions, skipped: parsed.skipped };
  });
  return {
    competencies: json(dir, 'competencies.json'),
    positions: json(dir, 'positions.json'),
    courses,
    banks,
    assessments: json(dir, 'assessments.json'),
    schemes: json(dir, 'schemes.json'),
  };
}

/**
 * Everything wrong with a pack, each naming its file and item: shapes, and references
 * between files (competency codes may also be among `knownCompetencies`, the core's).
 * A pack's schemes and assessments attest only the pack's own competencies, and none that
 * the platform already holds as another sector's or as a national one (`foreignCompetencies`):
 * a sector vouches for its own field only (ADR 0012).
 */
export function packProblems(
  pack: ContentPack,
  knownCompetencies: string[] = [],
  foreignCompetencies: string[] = [],
  /** The question types' own check, the same the API runs (see `definitionProblems`). */
  checkDefinition?: (type: string, definition: unknown) => string[],
): string[] {
  const problems: string[] = [];
  const need = (ok: unknown, message: string) => {
    if (!ok) problems.push(message);
  };
  const competencyCodes = new Set([...knownCompetencies, ...pack.competencies.map((c) => c.code)]);
  const unique = (file: string, codes: string[]) => {
    const seen = new Set<string>();
    for (const code of codes) {
      need(
        typeof code === 'string' && code.length > 0 && code.length <= 40,
        `${file}: kode "${code}" tidak sah`,
      );
      need(!seen.has(code), `${file}: kode ${code} ganda`);
      seen.add(code);
    }
  };
  // Cost per participant and mode (ADR 0040): optional, checked as the API checks them.
  const planningRef = (
    where: string,
    item: { costIdr?: number | null; deliveryMode?: string | null },
  ) => {
    need(
      item.costIdr === undefined ||
        item.costIdr === null ||
        (Number.isInteger(item.costIdr) && item.costIdr >= 0 && item.costIdr <= 100_000_000),
      `${where}: costIdr harus bilangan bulat rupiah 0–100.000.000`,
    );
    need(
      item.deliveryMode === undefined ||
        item.deliveryMode === null ||
        (DELIVERY_MODES as readonly string[]).includes(item.deliveryMode),
      `${where}: deliveryMode harus salah satu dari ${DELIVERY_MODES.join(', ')}`,
    );
  };
  const levelRef = (
    where: string,
    list: { competencyCode?: string; code?: string; level: number }[] | undefined,
  ) => {
    need(Array.isArray(list), `${where}: daftar kompetensi wajib`);
    for (const item of list ?? []) {
      const code = item.competencyCode ?? item.code;
      need(competencyCodes.has(code ?? ''), `${where}: kompetensi ${code} tidak dikenal`);
      need(
        Number.isInteger(item.level) && item.level >= 1 && item.level <= 5,
        `${where}: level ${item.level} harus 1–5`,
      );
    }
  };

  const own = new Set(pack.competencies.map((c) => c.code));
  const foreign = new Set(foreignCompetencies);
  const attestRef = (where: string, list: { competencyCode: string; level: number }[]) => {
    levelRef(where, list);
    for (const { competencyCode: code } of list ?? [])
      need(
        !competencyCodes.has(code) || (own.has(code) && !foreign.has(code)),
        `${where}: kompetensi ${code} bukan milik sektor ini; paket hanya boleh menyatakan kompetensi teknis sektornya sendiri`,
      );
  };

  unique(
    'competencies.json',
    pack.competencies.map((c) => c.code),
  );
  for (const c of pack.competencies) {
    need(c.title?.trim(), `competencies.json ${c.code}: title wajib`);
    need(c.description?.trim(), `competencies.json ${c.code}: description wajib`);
    need(
      Array.isArray(c.levels) &&
        c.levels.length === 5 &&
        c.levels.every(
          (l, i) =>
            l.level === i + 1 &&
            l.description?.trim() &&
            Array.isArray(l.indicators) &&
            l.indicators.length > 0,
        ),
      `competencies.json ${c.code}: perlu level 1–5, masing-masing dengan description dan indicators`,
    );
  }
  unique(
    'positions.json',
    pack.positions.map((p) => p.code),
  );
  for (const p of pack.positions) {
    need(p.name?.trim(), `positions.json ${p.code}: name wajib`);
    need(
      ['struktural', 'fungsional', 'pelaksana'].includes(p.kind),
      `positions.json ${p.code}: kind tidak sah`,
    );
    levelRef(`positions.json ${p.code}`, p.standard);
  }
  unique(
    'courses.json',
    pack.courses.map((c) => c.code),
  );
  for (const c of pack.courses) {
    need(c.title?.trim() && c.summary?.trim(), `courses.json ${c.code}: title dan summary wajib`);
    need(
      Number.isFinite(c.jp) && c.jp > 0 && c.jp <= 100,
      `courses.json ${c.code}: jp harus 1–100`,
    );
    need(Array.isArray(c.objectives), `courses.json ${c.code}: objectives wajib`);
    need(
      c.minStudyPercent === undefined ||
        (Number.isInteger(c.minStudyPercent) && c.minStudyPercent >= 0 && c.minStudyPercent <= 100),
      `courses.json ${c.code}: minStudyPercent harus bilangan bulat 0–100`,
    );
    need(
      c.minStudyMinutes === undefined ||
        (Number.isInteger(c.minStudyMinutes) && c.minStudyMinutes >= 0 && c.minStudyMinutes <= 600),
      `courses.json ${c.code}: minStudyMinutes harus bilangan bulat 0–600`,
    );
    need(
      c.minStudyPercent === undefined || c.minStudyMinutes === undefined,
      `courses.json ${c.code}: pilih salah satu, minStudyPercent atau minStudyMinutes`,
    );
    need(
      c.repeatable === undefined || typeof c.repeatable === 'boolean',
      `courses.json ${c.code}: repeatable harus true atau false`,
    );
    planningRef(`courses.json ${c.code}`, c);
    need(
      c.preTest === undefined || typeof c.preTest === 'boolean',
      `courses.json ${c.code}: preTest harus true atau false`,
    );
    need(
      c.reactionItems === undefined ||
        c.reactionItems === null ||
        (Array.isArray(c.reactionItems) &&
          c.reactionItems.length >= 1 &&
          c.reactionItems.length <= 10 &&
          c.reactionItems.every(
            (i) => typeof i === 'string' && i.trim().length >= 5 && i.trim().length <= 200,
          )),
      `courses.json ${c.code}: reactionItems 1–10 butir, masing-masing 5–200 karakter`,
    );
    levelRef(`courses.json ${c.code}`, c.competencies);
    need(c.lessons.length > 0, `courses.json ${c.code}: perlu pelajaran`);
    for (const l of c.lessons) {
      need(l.title?.trim(), `courses.json ${c.code}: pelajaran tanpa title`);
      need(l.body.trim(), `courses.json ${c.code}: berkas ${l.file} tidak ada atau kosong`);
    }
  }
  unique(
    'banks.json',
    pack.banks.map((b) => b.code),
  );
  for (const b of pack.banks) {
    for (const s of b.skipped)
      problems.push(`${b.file}:${s.line}${s.name ? ` ${s.name}` : ''}: ${s.reason}`);
    for (const q of b.questions) {
      need(
        q.points === undefined || (q.points >= 0 && q.points <= 1000),
        `${b.file}:${q.line} ${q.name}: nilai soal harus 0–1000`,
      );
      for (const problem of checkDefinition?.(q.type, q.definition) ?? [])
        problems.push(`${b.file}:${q.line} ${q.name}: ${problem}`);
      const meta = questionMeta(q.tags);
      need(
        meta.competencyCode && competencyCodes.has(meta.competencyCode),
        `${b.file}:${q.line} ${q.name}: tag kompetensi tidak dikenal`,
      );
      need(meta.competencyLevel, `${b.file}:${q.line} ${q.name}: tag level wajib`);
      need(meta.difficulty, `${b.file}:${q.line} ${q.name}: tag kesulitan wajib`);
    }
    unique(
      b.file,
      b.questions.map((q) => q.name),
    );
    // An idnumber names one question of its bank (the column is unique per bank).
    const ids = b.questions.map((q) => q.idnumber).filter((id): id is string => !!id);
    for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i)))
      problems.push(`${b.file}: idnumber ${id} ganda`);
  }
  const bankCodes = new Set(pack.banks.map((b) => b.code));
  unique(
    'assessments.json',
    pack.assessments.map((a) => a.code),
  );
  for (const a of pack.assessments) {
    need(bankCodes.has(a.bank), `assessments.json ${a.code}: bank ${a.bank} tidak ada`);
    const size = pack.banks.find((b) => b.code === a.bank)?.questions.length ?? 0;
    need(
      Number.isInteger(a.count) && a.count > 0 && a.count <= size,
      `assessments.json ${a.code}: count ${a.count} melebihi ${size} soal bank`,
    );
    need(
      a.passPercent >= 0 && a.passPercent <= 100,
      `assessments.json ${a.code}: passPercent 0–100`,
    );
    attestRef(`assessments.json ${a.code}`, a.attests ?? []);
  }
  const courseCodes = new Set(pack.courses.map((c) => c.code));
  const assessmentCodes = new Set(pack.assessments.map((a) => a.code));
  const positionCodes = new Set(pack.positions.map((p) => p.code));
  unique(
    'schemes.json',
    pack.schemes.map((s) => s.code),
  );
  for (const s of pack.schemes) {
    need(s.title?.trim(), `schemes.json ${s.code}: title wajib`);
    for (const c of s.courses ?? [])
      need(courseCodes.has(c), `schemes.json ${s.code}: pelatihan ${c} tidak ada`);
    for (const a of s.assessments ?? [])
      need(
        assessmentCodes.has(a.assessment),
        `schemes.json ${s.code}: ujian ${a.assessment} tidak ada`,
      );
    for (const p of s.targetPositions ?? [])
      need(positionCodes.has(p), `schemes.json ${s.code}: jabatan ${p} tidak ada`);
    attestRef(`schemes.json ${s.code}`, s.attests);
    planningRef(`schemes.json ${s.code}`, s);
    need(
      s.evaluationDays === undefined ||
        s.evaluationDays === null ||
        (Number.isInteger(s.evaluationDays) && s.evaluationDays >= 1 && s.evaluationDays <= 730),
      `schemes.json ${s.code}: evaluationDays harus bilangan bulat 1–730`,
    );
    if (s.renewal) {
      need(
        !s.renewal.courseCode || courseCodes.has(s.renewal.courseCode),
        `schemes.json ${s.code}: renewal.courseCode tidak ada`,
      );
      need(
        !s.renewal.assessment || assessmentCodes.has(s.renewal.assessment),
        `schemes.json ${s.code}: renewal.assessment tidak ada`,
      );
    }
  }
  return problems;
}
