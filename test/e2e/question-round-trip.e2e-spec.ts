import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/paths.js';
import { aHealthBank, importQuestions } from '../helpers/exams.js';
import { bootTestApp, engine, TestApp } from '../helpers/test-app.js';

/** Issue 24: what a bank exports imports back the same, and a refusal names its question. */
describe(`question banks round-trip through their files (${engine})`, () => {
  let t: TestApp;
  let coordinator: string;
  let otherCoordinator: string;

  beforeAll(async () => {
    t = await bootTestApp();
    coordinator = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
    otherCoordinator = await t.tokenFor(
      await t.createUser('coordinator', { sectors: ['education'] }),
    );
  });
  afterAll(() => t.close());

  const newBank = (name: string) => aHealthBank(t, coordinator, name);
  const importInto = (bank: string, format: string, body: string) =>
    importQuestions(t, coordinator, bank, format as 'gift' | 'moodle-xml', body);
  const exportOf = async (bank: string, format: string) =>
    (
      await t
        .as(coordinator)
        .get(`/api/v1/question-banks/${bank}/export`)
        .query({ format })
        .expect(200)
    ).text;
  const contentOf = async (bank: string) => {
    const detail = (await t.as(coordinator).get(`/api/v1/question-banks/${bank}`).expect(200))
      .body as { categories: { id: string; path?: string; name: string }[] };
    const pathOf = (id: string | null) => detail.categories.find((c) => c.id === id)?.name ?? null;
    const questions = (
      await t.as(coordinator).get(`/api/v1/question-banks/${bank}/questions`).expect(200)
    ).body as Record<string, unknown>[];
    return questions.map((q) => ({
      name: q.name,
      type: q.type,
      stem: q.stem,
      definition: q.definition,
      points: q.points,
      generalFeedback: q.generalFeedback,
      category: pathOf(q.categoryId as string | null),
      competencyCode: q.competencyCode,
      competencyLevel: q.competencyLevel,
      difficulty: q.difficulty,
      tags: q.tags,
    }));
  };

  // An essay worth 3 with a rubric and an idnumber, without a category, named so that the
  // bank lists it after a categorised question (the order an export writes them in).
  const source = [
    '// [id:ESSAY-1] [points:3] [tag:kesulitan:sulit]',
    '// [rubric:Skor 3\\: lima momen\\nSkor 1\\: satu momen]',
    '::B Uraian cuci tangan:: Jelaskan lima momen cuci tangan. {}',
    '',
    '::C Dosis:: Berapa mL? {#=5:0 ~#Hitung ulang dosisnya}',
    '',
    '$CATEGORY: Bab 1',
    '',
    '// [id:PPI-33]',
    '::A Jalur:: Pasangkan. {',
    '=TB paru -> Udara',
    '=Campak -> Udara',
    '=Skabies -> Kontak',
    '}',
    '',
  ].join('\n');

  it.each(['gift', 'moodle-xml'])('exports and imports back every field, in %s', async (format) => {
    const bank = await newBank(`Asal ${format}`);
    expect((await importInto(bank, 'gift', source).expect(200)).body).toEqual({
      imported: 3,
      skipped: [],
      warnings: [],
    });
    const original = await contentOf(bank);
    expect(original.find((q) => q.name === 'B Uraian cuci tangan')).toEqual(
      expect.objectContaining({
        points: 3,
        category: null,
        definition: { rubric: 'Skor 3: lima momen\nSkor 1: satu momen' },
      }),
    );
    const file = await exportOf(bank, format);
    const copy = await newBank(`Salinan ${format}`);
    expect((await importInto(copy, format, file).expect(200)).body).toEqual({
      imported: 3,
      skipped: [],
      warnings: [],
    });
    expect(await contentOf(copy)).toEqual(original);
    // The idnumbers too: the copy exports the same file.
    expect(await exportOf(copy, format)).toBe(file);
    expect(file).toContain('ESSAY-1');

    // Into the same bank again: the idnumbers are taken, so (as Moodle) they are dropped
    // and the questions kept.
    expect((await importInto(copy, format, file).expect(200)).body.imported).toBe(3);
    const twice = await exportOf(copy, format);
    expect(twice.split('ESSAY-1').length - 1).toBe(1);
  });

  it('reports each refused question by its name and the line it starts on', async () => {
    const bank = await newBank('Penolakan');
    const xml = readFileSync(
      join(
        projectRoot,
        'test',
        'fixtures',
        'moodle-questions',
        'moodle-xml',
        'error_invalid_grades.xml',
      ),
      'utf8',
    );
    const grades = await importInto(bank, 'moodle-xml', xml).expect(200);
    expect(grades.body).toEqual({
      imported: 0,
      skipped: [
        {
          line: 4,
          name: 'Question with <strong>invalid grades</strong> : x > 1 & x < 2',
          reason: expect.stringContaining('33%'),
        },
      ],
      warnings: [],
    });
    const gift =
      '::Baik:: Ya? {T}\n\n// catatan\n::Rusak:: Tanpa penutup {=a\n\nSatu kanan {=a -> x}\n';
    const res = await importInto(bank, 'gift', gift).expect(200);
    expect(res.body).toEqual({
      imported: 1,
      skipped: [
        { line: 4, name: 'Rusak', reason: expect.any(String) },
        { line: 6, name: 'Satu kanan', reason: expect.any(String) },
      ],
      warnings: [],
    });
    const huge = await importInto(
      bank,
      'moodle-xml',
      '<quiz><question type="essay"><name><text>Besar</text></name>' +
        '<questiontext><text>Tulis.</text></questiontext><defaultgrade>1e9</defaultgrade></question></quiz>',
    ).expect(200);
    expect(huge.body).toEqual({
      imported: 0,
      skipped: [{ line: 1, name: 'Besar', reason: expect.stringContaining('0–1000') }],
      warnings: [],
    });
    // Another sector's coordinator learns nothing about the bank from an import.
    await t
      .as(otherCoordinator)
      .post(`/api/v1/question-banks/${bank}/import`)
      .set('content-type', 'text/plain')
      .send(gift)
      .expect(403);
  });
});

describe(`the shipped health bank re-imports through the API (${engine})`, () => {
  let t: TestApp;
  let coordinator: string;

  beforeAll(async () => {
    t = await bootTestApp({ env: { CONTENT_SYNC: 'true', SECTORS: 'health' } });
    coordinator = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
  });
  afterAll(() => t.close());

  it('installs PPI-22 and PPI-33 (two lefts on one right), shows each right item once, and takes its own export back', async () => {
    const banks = (await t.as(coordinator).get('/api/v1/question-banks').expect(200)).body as {
      id: string;
      name: string;
    }[];
    const ppi = banks.find((b) => b.name.includes('Pengendalian Infeksi'))!;
    const questions = (
      await t.as(coordinator).get(`/api/v1/question-banks/${ppi.id}/questions`).expect(200)
    ).body as { id: string; name: string }[];
    const ppi33 = questions.find((q) => q.name.startsWith('PPI-33'))!;
    const preview = (
      await t.as(coordinator).get(`/api/v1/questions/${ppi33.id}/preview`).expect(200)
    ).body as { left: unknown[]; right: { text: string }[] };
    expect(preview.left).toHaveLength(4);
    // TB paru and Campak share "Udara": three right items, each once, and no key.
    expect(preview.right.map((r) => r.text).sort()).toEqual(
      ['Droplet', 'Kontak', 'Udara (airborne)'].sort(),
    );
    expect(JSON.stringify(preview)).not.toContain('key');

    for (const format of ['gift', 'moodle-xml']) {
      const file = (
        await t
          .as(coordinator)
          .get(`/api/v1/question-banks/${ppi.id}/export`)
          .query({ format })
          .expect(200)
      ).text;
      const copy = (
        await t
          .as(coordinator)
          .post('/api/v1/question-banks')
          .send({ name: `PPI ${format}`, sector: 'health' })
          .expect(201)
      ).body.id as string;
      const res = await t
        .as(coordinator)
        .post(`/api/v1/question-banks/${copy}/import`)
        .query({ format })
        .set('content-type', format === 'gift' ? 'text/plain' : 'application/xml')
        .send(file)
        .expect(200);
      expect(res.body).toEqual({ imported: questions.length, skipped: [], warnings: [] });
    }
  });
});
