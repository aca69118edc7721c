import { AuditEntry } from '../../src/platform/audit/audit-entry.entity.js';
import { studyLessons } from '../helpers/study.js';
import { bootTestApp, engine, TestApp } from '../helpers/test-app.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

describe(`learning (${engine})`, () => {
  let t: TestApp;
  let coordinator: string;
  let otherCoordinator: string;
  let asn: string;
  let asnId: string;
  let stranger: string;
  let admin: string;
  let courseId: string;
  const lessons: Record<string, string> = {};

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await t.tokenFor(await t.createUser('admin'));
    coordinator = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
    otherCoordinator = await t.tokenFor(
      await t.createUser('coordinator', { sectors: ['education'] }),
    );
    const learner = await t.createUser('asn');
    asnId = learner.id;
    asn = await t.tokenFor(learner);
    stranger = await t.tokenFor(await t.createUser('asn'));
  });
  afterAll(() => t.close());

  it('a coordinator creates a course with a Markdown, a link and a PDF lesson, and publishes it', async () => {
    const created = await t
      .as(coordinator)
      .post('/api/v1/courses')
      .send({
        sector: 'health',
        code: 'KES-KP-01',
        title: 'Keselamatan Pasien',
        summary: 'Enam sasaran keselamatan pasien.',
        objectives: ['Menjelaskan 6 SKP'],
        competencies: [{ code: 'M.5', level: 3 }],
        jp: 4,
      })
      .expect(201);
    courseId = created.body.id;
    expect(created.body).toEqual(
      expect.objectContaining({ status: 'draft', version: 1, jp: 4, durationMinutes: 180 }),
    );

    lessons.text = (
      await t
        .as(coordinator)
        .post(`/api/v1/courses/${courseId}/lessons`)
        .send({
          title: 'Sasaran keselamatan pasien',
          kind: 'markdown',
          body: '# SKP\n\n1. Identifikasi pasien dengan benar',
        })
        .expect(201)
    ).body.id;
    lessons.link = (
      await t
        .as(coordinator)
        .post(`/api/v1/courses/${courseId}/lessons`)
        .send({
          title: 'Video cuci tangan',
          kind: 'link',
          url: 'https://contoh.id/video',
          linkNote: 'Video 6 menit, ±20 MB',
        })
        .expect(201)
    ).body.id;
    lessons.pdf = (
      await t
        .as(coordinator)
        .post(`/api/v1/courses/${courseId}/lessons`)
        .send({ title: 'Formulir insiden', kind: 'file' })
        .expect(201)
    ).body.id;
    const uploaded = await t
      .as(coordinator)
      .post(`/api/v1/courses/${courseId}/lessons/${lessons.pdf}/file`)
      .attach('file', PDF, 'formulir-insiden.pdf')
      .expect(200);
    expect(uploaded.body.file).toEqual({ name: 'formulir-insiden.pdf', size: PDF.length });

    await t
      .as(coordinator)
      .post(`/api/v1/courses/${courseId}/lessons`)
      .send({ title: 'Tanpa isi', kind: 'markdown' })
      .expect(400);
    await t
      .as(coordinator)
      .post(`/api/v1/courses/${courseId}/lessons`)
      .send({ title: 'Tautan jahat', kind: 'link', url: 'javascript:alert(1)' })
      .expect(400);

    const published = await t
      .as(coordinator)
      .post(`/api/v1/courses/${courseId}/publish`)
      .expect(200);
    expect(published.body.status).toBe('published');
    expect(
      await t.dataSource
        .getRepository(AuditEntry)
        .countBy({ action: 'course.publish', entityId: courseId }),
    ).toBe(1);
  });

  it('refuses uploads that are executables, too large, or not what their name says', async () => {
    const draft = await t
      .as(coordinator)
      .post('/api/v1/courses')
      .send({ sector: 'health', code: 'KES-UP', title: 'Uji unggah', jp: 1 })
      .expect(201);
    const lesson = (
      await t
        .as(coordinator)
        .post(`/api/v1/courses/${draft.body.id}/lessons`)
        .send({ title: 'Berkas', kind: 'file' })
        .expect(201)
    ).body.id;
    const url = `/api/v1/courses/${draft.body.id}/lessons/${lesson}/file`;
    const exe = await t
      .as(coordinator)
      .post(url)
      .attach('file', Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), 'setup.exe')
      .expect(400);
    expect(exe.body.errors[0].field).toBe('file');
    const mismatch = await t
      .as(coordinator)
      .post(url)
      .attach(
        'file',
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]),
        'materi.pdf',
      )
      .expect(400);
    expect(mismatch.body.message).toContain('tidak sesuai');
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(6 * 1024 * 1024, 0x20)]);
    const tooLarge = await t.as(coordinator).post(url).attach('file', big, 'besar.pdf');
    expect([400, 413]).toContain(tooLarge.status);
  });

  it('another sector’s coordinator cannot edit it; lessons of a published course need a draft', async () => {
    await t
      .as(otherCoordinator)
      .patch(`/api/v1/courses/${courseId}`)
      .send({ title: 'Diambil alih' })
      .expect(403);
    await t
      .as(otherCoordinator)
      .post(`/api/v1/courses/${courseId}/lessons`)
      .send({ title: 'Tambahan', kind: 'markdown', body: 'isi' })
      .expect(403);
    await t
      .as(coordinator)
      .post(`/api/v1/courses/${courseId}/lessons`)
      .send({ title: 'Tambahan', kind: 'markdown', body: 'isi' })
      .expect(409);
    await t
      .as(asn)
      .post('/api/v1/courses')
      .send({ sector: 'health', code: 'X', title: 'Tidak boleh', jp: 1 })
      .expect(403);
  });

  it('the ASN enrols, completes the lessons, the course completes and the JP is credited this year', async () => {
    const catalogue = await t.as(asn).get('/api/v1/courses').expect(200);
    expect(catalogue.body.map((c: { code: string }) => c.code)).toEqual(['KES-KP-01']);
    const enrollment = await t.as(asn).post(`/api/v1/courses/${courseId}/enrollments`).expect(201);
    const id = enrollment.body.id;
    // Nothing opened yet: the course page offers "Mulai belajar" at the first lesson.
    expect(enrollment.body.progress).toEqual({
      completed: 0,
      required: 3,
      percent: 0,
      started: false,
      resumeLessonId: lessons.text,
    });
    // Enrolling again returns the same enrolment.
    expect(
      (await t.as(asn).post(`/api/v1/courses/${courseId}/enrollments`).expect(201)).body.id,
    ).toBe(id);

    await t
      .as(stranger)
      .post(`/api/v1/enrollments/${id}/lessons/${lessons.text}/complete`)
      .expect(403);
    await t
      .as(asn)
      .post(`/api/v1/enrollments/${id}/lessons/00000000-0000-0000-0000-000000000000/complete`)
      .expect(404);
    // Marking done before studying is refused, with the time that remains.
    await t.as(asn).get(`/api/v1/enrollments/${id}/lessons/${lessons.text}`).expect(200);
    const early = await t
      .as(asn)
      .post(`/api/v1/enrollments/${id}/lessons/${lessons.text}/complete`)
      .expect(422);
    expect(early.body.details.remainingSeconds).toBeGreaterThan(400);
    for (const lesson of [lessons.text, lessons.link])
      expect((await studyLessons(t, asn, id, [lesson])).status).toBe('active');
    // Two done: "Lanjutkan" picks up at the first unfinished required lesson, the third.
    expect((await t.as(asn).get(`/api/v1/enrollments/${id}`).expect(200)).body.progress).toEqual(
      expect.objectContaining({ completed: 2, started: true, resumeLessonId: lessons.pdf }),
    );
    const file = await t
      .as(asn)
      .get(`/api/v1/lessons/${lessons.pdf}/file`)
      .buffer(true)
      .expect(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toBe('attachment; filename="formulir-insiden.pdf"');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    const done = { body: await studyLessons(t, asn, id, [lessons.pdf]) };
    expect(done.body).toEqual(
      expect.objectContaining({
        status: 'completed',
        progress: expect.objectContaining({ completed: 3, required: 3, percent: 100 }),
      }),
    );
    // Completing again credits nothing twice.
    await t.as(asn).post(`/api/v1/enrollments/${id}/lessons/${lessons.pdf}/complete`).expect(200);

    const year = new Date().getUTCFullYear();
    const jp = await t.as(asn).get('/api/v1/me/jp').expect(200);
    expect(jp.body).toEqual({
      year,
      target: 20,
      total: 4,
      credits: [expect.objectContaining({ title: 'Keselamatan Pasien', jp: 4, source: 'course' })],
    });
    const mine = await t.as(asn).get('/api/v1/me/enrollments').expect(200);
    expect(mine.body[0]).toEqual(
      expect.objectContaining({ status: 'completed', completedAt: expect.any(String) }),
    );
  });

  it('recommends the published course for a gap in its competency', async () => {
    await t
      .as(admin)
      .post('/api/v1/positions')
      .send({ code: 'BIDAN', name: 'Bidan', kind: 'fungsional', sector: 'health' })
      .expect(201);
    await t
      .as(admin)
      .put('/api/v1/positions/BIDAN/standard')
      .send({
        items: [
          { competencyCode: 'M.5', level: 3 },
          { competencyCode: 'M.1', level: 2 },
        ],
      })
      .expect(200);
    await t
      .as(admin)
      .post('/api/v1/positions/BIDAN/assignments')
      .send({ users: [asnId] })
      .expect(200);
    const gaps = await t.as(asn).get('/api/v1/me/gaps').expect(200);
    const service = gaps.body.items.find(
      (i: { competency: { code: string } }) => i.competency.code === 'M.5',
    );
    expect(service.recommendations.courses).toEqual([
      expect.objectContaining({
        code: 'KES-KP-01',
        title: 'Keselamatan Pasien',
        url: `/pelatihan/${courseId}`,
      }),
    ]);
    const integrity = gaps.body.items.find(
      (i: { competency: { code: string } }) => i.competency.code === 'M.1',
    );
    expect(integrity.recommendations.courses).toEqual([]);
  });

  it('an ASN cannot complete a lesson of a course they are not enrolled in', async () => {
    const mine = await t.as(asn).get('/api/v1/me/enrollments').expect(200);
    await t
      .as(stranger)
      .post(`/api/v1/enrollments/${mine.body[0].id}/lessons/${lessons.text}/complete`)
      .expect(403);
    await t.http
      .post(`/api/v1/enrollments/${mine.body[0].id}/lessons/${lessons.text}/complete`)
      .expect(401);
  });

  it('editing the published course makes version 2 as a draft; publishing it archives v1 and keeps v1 progress', async () => {
    const draft = await t
      .as(coordinator)
      .patch(`/api/v1/courses/${courseId}`)
      .send({ title: 'Keselamatan Pasien (revisi)' })
      .expect(200);
    expect(draft.body).toEqual(
      expect.objectContaining({
        version: 2,
        status: 'draft',
        title: 'Keselamatan Pasien (revisi)',
      }),
    );
    expect(draft.body.lessons).toHaveLength(3);
    await t.as(coordinator).post(`/api/v1/courses/${draft.body.id}/publish`).expect(200);
    expect(
      (await t.as(coordinator).get(`/api/v1/courses/${courseId}`).expect(200)).body.status,
    ).toBe('archived');
    const catalogue = await t.as(stranger).get('/api/v1/courses').expect(200);
    expect(catalogue.body.map((c: { id: string }) => c.id)).toEqual([draft.body.id]);
    const mine = await t.as(asn).get('/api/v1/me/enrollments').expect(200);
    expect(mine.body[0]).toEqual(
      expect.objectContaining({
        status: 'completed',
        course: expect.objectContaining({ id: courseId, version: 1 }),
      }),
    );
  });

  it('the coordinator assigns the course to a position with a due date and sees enrolments; the JP export lists the ledger', async () => {
    const latest = (await t.as(stranger).get('/api/v1/courses').expect(200)).body[0];
    await t
      .as(admin)
      .post('/api/v1/positions')
      .send({ code: 'PERAWAT', name: 'Perawat', kind: 'fungsional', sector: 'health' })
      .expect(201);
    const holder = await t.createUser('asn', { nip: '199003152015032001' });
    await t
      .as(admin)
      .post('/api/v1/positions/PERAWAT/assignments')
      .send({ users: [holder.nip!] })
      .expect(200);
    const assigned = await t
      .as(coordinator)
      .post(`/api/v1/courses/${latest.id}/enrollments`)
      .send({ positionCode: 'PERAWAT', users: ['tidak-ada'], dueAt: '2026-12-31T00:00:00Z' })
      .expect(201);
    expect(assigned.body).toEqual({ enrolled: 1, alreadyEnrolled: 0, unknown: ['tidak-ada'] });
    await t
      .as(otherCoordinator)
      .post(`/api/v1/courses/${latest.id}/enrollments`)
      .send({ positionCode: 'PERAWAT' })
      .expect(403);
    const list = await t
      .as(coordinator)
      .get(`/api/v1/courses/${latest.id}/enrollments`)
      .expect(200);
    expect(list.body.items[0]).toEqual(
      expect.objectContaining({ dueAt: '2026-12-31T00:00:00.000Z', status: 'active' }),
    );

    const csv = await t.as(admin).get('/api/v1/reports/jp').query({ format: 'csv' }).expect(200);
    expect(csv.text.replace(/^\uFEFF/, '').split('\n')[0]).toBe(
      'NIP,Nama,Unit Kerja,Nama Pelatihan,Jenis Pelatihan,Tanggal Mulai,Tanggal Selesai,JP',
    );
    expect(csv.text).toContain('Keselamatan Pasien,e-learning');
    await t.as(asn).get('/api/v1/reports/jp').expect(403);
    void asnId;
  });
});
