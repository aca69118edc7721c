import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/paths.js';
import { QuestionBanksService } from '../../src/assessment/banks/question-banks.service.js';
import { bootTestApp, engine, TestApp } from '../helpers/test-app.js';

const choice = {
  options: [
    {
      id: 'a',
      text: 'Nama dan tanggal lahir',
      fraction: 1,
      feedback: 'Benar: dua penanda identitas.',
    },
    { id: 'b', text: 'Nomor kamar', fraction: 0, feedback: 'Nomor kamar bisa berubah.' },
  ],
};

describe(`question banks (${engine})`, () => {
  let t: TestApp;
  let coordinator: string;
  let otherCoordinator: string;
  let bankId: string;

  beforeAll(async () => {
    t = await bootTestApp();
    coordinator = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
    otherCoordinator = await t.tokenFor(
      await t.createUser('coordinator', { sectors: ['education'] }),
    );
  });
  afterAll(() => t.close());

  it('creates a bank in the contract shape; other sectors and ASN are kept out', async () => {
    const res = await t
      .as(coordinator)
      .post('/api/v1/question-banks')
      .send({ name: 'Keselamatan Pasien', sector: 'health' })
      .expect(201);
    bankId = res.body.id;
    expect(res.body).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        name: 'Keselamatan Pasien',
        sector: 'health',
        description: '',
      }),
    );
    await t
      .as(otherCoordinator)
      .post('/api/v1/question-banks')
      .send({ name: 'Bukan sektor saya', sector: 'health' })
      .expect(403);
    await t
      .as(coordinator)
      .post('/api/v1/question-banks')
      .send({ name: 'Sektor salah', sector: 'forestry' })
      .expect(400);
    await t.as(otherCoordinator).get(`/api/v1/question-banks/${bankId}`).expect(403);
    expect((await t.as(otherCoordinator).get('/api/v1/question-banks').expect(200)).body).toEqual(
      [],
    );
    const asn = await t.tokenFor(await t.createUser('asn'));
    await t.as(asn).get('/api/v1/question-banks').expect(403);
    await t.http.get('/api/v1/question-banks').expect(401);
  });

  it('adds categories and questions validated by their type', async () => {
    const category = await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bankId}/categories`)
      .send({ name: 'Identifikasi pasien' })
      .expect(201);
    const created = await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bankId}/questions`)
      .send({
        name: 'IDP-1',
        type: 'single_choice',
        stem: 'Penanda identitas pasien yang benar?',
        definition: choice,
        categoryId: category.body.id,
        competencyCode: 'M.5',
        competencyLevel: 2,
        difficulty: 'mudah',
        tags: ['skp1'],
      })
      .expect(201);
    expect(created.body).toEqual(
      expect.objectContaining({
        version: 1,
        type: 'single_choice',
        categoryId: category.body.id,
        difficulty: 'mudah',
      }),
    );
    const badType = await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bankId}/questions`)
      .send({ name: 'X', type: 'calculated', stem: 'x', definition: {} })
      .expect(400);
    expect(badType.body.errors[0].field).toBe('type');
    const badDefinition = await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bankId}/questions`)
      .send({ name: 'X', type: 'single_choice', stem: 'x', definition: { options: [] } })
      .expect(400);
    expect(badDefinition.body.errors[0].field).toBe('definition');
    await t
      .as(otherCoordinator)
      .post(`/api/v1/question-banks/${bankId}/questions`)
      .send({ name: 'X', type: 'essay', stem: 'x', definition: {} })
      .expect(403);
    const list = await t
      .as(coordinator)
      .get(`/api/v1/question-banks/${bankId}/questions`)
      .query({ difficulty: 'mudah', q: 'skp' })
      .expect(200);
    expect(list.body.map((q: { name: string }) => q.name)).toEqual(['IDP-1']);
  });

  it('edits in place until an attempt has shown the question, then as a new version; the preview hides the key', async () => {
    const [question] = (
      await t.as(coordinator).get(`/api/v1/question-banks/${bankId}/questions`).expect(200)
    ).body;
    const edited = await t
      .as(coordinator)
      .put(`/api/v1/questions/${question.id}`)
      .send({ stem: 'Dua penanda identitas pasien adalah?' })
      .expect(200);
    expect(edited.body.version).toBe(1);
    await t.app.get(QuestionBanksService).markUsed(question.id, 1);
    const v2 = await t
      .as(coordinator)
      .put(`/api/v1/questions/${question.id}`)
      .send({ stem: 'Sebutkan dua penanda identitas pasien.' })
      .expect(200);
    expect(v2.body.version).toBe(2);
    expect(v2.body.versions).toEqual([
      expect.objectContaining({ version: 1, used: true }),
      expect.objectContaining({ version: 2, used: false }),
    ]);
    const old = await t
      .as(coordinator)
      .get(`/api/v1/questions/${question.id}`)
      .query({ version: 1 })
      .expect(200);
    expect(old.body.stem).toBe('Dua penanda identitas pasien adalah?');
    const preview = await t
      .as(coordinator)
      .get(`/api/v1/questions/${question.id}/preview`)
      .expect(200);
    expect(preview.body).toEqual({
      id: question.id,
      type: 'single_choice',
      version: 2,
      stemHtml: '<p>Sebutkan dua penanda identitas pasien.</p>\n',
      points: 1,
      options: [
        { id: 'a', text: 'Nama dan tanggal lahir' },
        { id: 'b', text: 'Nomor kamar' },
      ],
    });
    expect(JSON.stringify(preview.body)).not.toContain('fraction');
    await t
      .as(otherCoordinator)
      .put(`/api/v1/questions/${question.id}`)
      .send({ stem: 'Diubah' })
      .expect(403);
    await t
      .as(coordinator)
      .put(`/api/v1/questions/${question.id}`)
      .send({
        definition: {
          options: [
            { id: 'a', text: 'x', fraction: 0.5 },
            { id: 'b', text: 'y', fraction: 0 },
          ],
        },
      })
      .expect(400);
  });

  it('imports GIFT through the API (raw body and multipart), reports broken questions by line, and exports it back', async () => {
    const gift = readFileSync(
      join(
        projectRoot,
        'test',
        'fixtures',
        'moodle-questions',
        'gift',
        'moodle-questions_in_category.gift.txt',
      ),
    );
    const bank = (
      await t
        .as(coordinator)
        .post('/api/v1/question-banks')
        .send({ name: 'Impor', sector: 'health' })
        .expect(201)
    ).body.id;
    const dry = await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bank}/import`)
      .query({ format: 'gift', dryRun: 'true' })
      .set('content-type', 'text/plain')
      .send(gift.toString('utf8'))
      .expect(200);
    expect(dry.body).toEqual(expect.objectContaining({ imported: 0, wouldImport: 4, skipped: [] }));
    const res = await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bank}/import`)
      .query({ format: 'gift' })
      .attach('file', gift, 'soal.gift.txt')
      .expect(200);
    expect(res.body).toEqual({ imported: 4, skipped: [], warnings: [] });
    const detail = await t.as(coordinator).get(`/api/v1/question-banks/${bank}`).expect(200);
    expect(detail.body.questionCount).toBe(4);
    expect(detail.body.categories.length).toBeGreaterThan(0);

    const broken =
      'Soal baik {T}\n\nSoal rusak {=a ~b\n\nSoal pilihan tanpa jawaban benar {~a ~b}\n';
    const partial = await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bank}/import`)
      .set('content-type', 'text/plain')
      .send(broken)
      .expect(200);
    expect(partial.body.imported).toBe(1);
    expect(partial.body.skipped.map((s: { line: number }) => s.line)).toEqual([3, 5]);

    const exported = await t
      .as(coordinator)
      .get(`/api/v1/question-banks/${bank}/export`)
      .query({ format: 'gift' })
      .expect(200);
    expect(exported.headers['content-disposition']).toMatch(/^attachment/);
    expect(exported.text).toContain('$CATEGORY:');
    const copy = (
      await t
        .as(coordinator)
        .post('/api/v1/question-banks')
        .send({ name: 'Salinan', sector: 'health' })
        .expect(201)
    ).body.id;
    const again = await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${copy}/import`)
      .set('content-type', 'text/plain')
      .send(exported.text)
      .expect(200);
    expect(again.body).toEqual({ imported: 5, skipped: [], warnings: [] });

    await t
      .as(otherCoordinator)
      .post(`/api/v1/question-banks/${bank}/import`)
      .set('content-type', 'text/plain')
      .send(broken)
      .expect(403);
    await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bank}/import`)
      .query({ format: 'qti' })
      .set('content-type', 'text/plain')
      .send(broken)
      .expect(400);
    const notGift = await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bank}/import`)
      .set('content-type', 'text/plain')
      .send('ini bukan berkas soal sama sekali')
      .expect(400);
    expect(notGift.body.errors[0].field).toBe('file');
    const big = Buffer.alloc(6 * 1024 * 1024, 0x41);
    await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bank}/import`)
      .set('content-type', 'text/plain')
      .send(big.toString())
      .expect(413);
  });

  it('imports Moodle XML, reports cloze questions by position and name, and round-trips through export', async () => {
    const dir = join(projectRoot, 'test', 'fixtures', 'moodle-questions', 'moodle-xml');
    const bank = (
      await t
        .as(coordinator)
        .post('/api/v1/question-banks')
        .send({ name: 'Moodle', sector: 'health' })
        .expect(201)
    ).body.id;
    for (const file of [
      'qtype_match-testquestion.moodle.xml',
      'truefalse.xml',
      'qtype_shortanswer-testquestion.moodle.xml',
    ]) {
      const res = await t
        .as(coordinator)
        .post(`/api/v1/question-banks/${bank}/import`)
        .query({ format: 'moodle-xml' })
        .attach('file', readFileSync(join(dir, file)), file)
        .expect(200);
      expect(res.body.skipped).toEqual([]);
    }
    const cloze = await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bank}/import`)
      .query({ format: 'moodle-xml' })
      .set('content-type', 'application/xml')
      .send(readFileSync(join(dir, 'broken_cloze_questions.xml'), 'utf8'))
      .expect(200);
    expect(cloze.body.imported).toBe(0);
    expect(cloze.body.skipped[0]).toEqual({
      line: expect.any(Number),
      name: expect.any(String),
      reason: expect.stringContaining('cloze'),
    });
    const exported = await t
      .as(coordinator)
      .get(`/api/v1/question-banks/${bank}/export`)
      .query({ format: 'moodle-xml' })
      .expect(200);
    expect(exported.headers['content-type']).toContain('application/xml');
    const copy = (
      await t
        .as(coordinator)
        .post('/api/v1/question-banks')
        .send({ name: 'Salinan XML', sector: 'health' })
        .expect(201)
    ).body.id;
    const again = await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${copy}/import`)
      .query({ format: 'moodle-xml' })
      .set('content-type', 'application/xml')
      .send(exported.text)
      .expect(200);
    expect(again.body).toEqual({ imported: 4, skipped: [], warnings: [] });
    const xxe = await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${copy}/import`)
      .query({ format: 'moodle-xml' })
      .set('content-type', 'application/xml')
      .send(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><quiz>&e;</quiz>',
      )
      .expect(400);
    expect(xxe.body.message).toContain('DTD');
  });
});
