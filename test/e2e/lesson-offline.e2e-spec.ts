import { bootTestApp, engine, signInAgent, TestApp } from '../helpers/test-app.js';

/** A PDF of about 1.2 MB: a reader on a metered link should see "1,2 MB" before tapping. */
const PDF = Buffer.concat([
  Buffer.from('%PDF-1.4\n%'),
  Buffer.alloc(1_250_000, 'x'),
  Buffer.from('\n%%EOF\n'),
]);

/** Slow connections (issue 23): sizes before downloading, and lessons kept for offline reading. */
describe(`lessons offline (${engine})`, () => {
  let t: TestApp;
  let courseId: string;
  const lessons: Record<string, string> = {};
  let learnerEmail: string;

  beforeAll(async () => {
    t = await bootTestApp();
    const coordinator = await t.tokenFor(
      await t.createUser('coordinator', { sectors: ['health'] }),
    );
    courseId = (
      await t
        .as(coordinator)
        .post('/api/v1/courses')
        .send({ sector: 'health', code: 'KES-OFF-01', title: 'Keselamatan Pasien Dasar', jp: 2 })
        .expect(201)
    ).body.id;
    const add = async (body: object) =>
      (await t.as(coordinator).post(`/api/v1/courses/${courseId}/lessons`).send(body).expect(201))
        .body.id as string;
    lessons.text = await add({
      title: 'Enam Sasaran Keselamatan Pasien',
      kind: 'markdown',
      body: '## Sasaran pertama\n\n1. Identifikasi pasien dengan **benar**\n2. Komunikasi efektif\n\n<script>alert(1)</script>',
    });
    lessons.link = await add({
      title: 'Video cuci tangan',
      kind: 'link',
      url: 'https://contoh.id/video',
      linkNote: 'Video 6 menit, ±20 MB',
    });
    lessons.pdf = await add({ title: 'Formulir insiden', kind: 'file' });
    await t
      .as(coordinator)
      .post(`/api/v1/courses/${courseId}/lessons/${lessons.pdf}/file`)
      .attach('file', PDF, 'formulir-insiden.pdf')
      .expect(200);
    await t.as(coordinator).post(`/api/v1/courses/${courseId}/publish`).expect(200);

    const learner = await t.createUser('asn');
    learnerEmail = learner.email!;
    await t
      .as(await t.tokenFor(learner))
      .post(`/api/v1/courses/${courseId}/enrollments`)
      .send({})
      .expect(201);
  });
  afterAll(() => t.close());

  const lessonPage = (id: string) => `/pelatihan/${courseId}/pelajaran/${id}`;
  const download = (id: string) => `${lessonPage(id)}/unduh`;

  it('the course page shows what each download costs before the lesson is opened', async () => {
    const { agent } = await signInAgent(t, learnerEmail);
    const page = await agent.get(`/pelatihan/${courseId}`).expect(200);
    expect(page.text).toContain('(berkas 1,2 MB)');
    expect(page.text).toContain('(Video 6 menit, ±20 MB)');
  });

  it('a text lesson downloads as one self-contained HTML file, its size shown on the lesson page', async () => {
    const { agent } = await signInAgent(t, learnerEmail);
    const page = await agent.get(lessonPage(lessons.text)).expect(200);
    const link =
      /<a class="button" href="([^"]+)" download data-test="offline">Unduh untuk dibaca offline \((\d+) KB\)<\/a>/.exec(
        page.text,
      );
    expect(link?.[1]).toBe(download(lessons.text));

    const file = await agent.get(download(lessons.text)).expect(200);
    expect(file.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(file.headers['content-disposition']).toBe(
      `attachment; filename="enam-sasaran-keselamatan-pasien.html"; filename*=UTF-8''enam-sasaran-keselamatan-pasien.html`,
    );
    expect(file.headers['cache-control']).toBe('private, no-store');
    const html = file.text;
    expect(Math.max(1, Math.round(Buffer.byteLength(html) / 1024))).toBe(Number(link![2]));
    expect(html).toMatch(/^<!doctype html>\n<html lang="id">/);
    expect(html).toContain('<h1>Enam Sasaran Keselamatan Pasien</h1>');
    expect(html).toContain('Keselamatan Pasien Dasar · Pelajaran 1 dari 3');
    expect(html).toContain('<strong>benar</strong>');
    expect(html).toContain(`${t.config.publicUrl}${lessonPage(lessons.text)}`);
    // Nothing to fetch or run when opened from the disk: no script, no stylesheet link, no asset.
    expect(html).not.toMatch(/<script|<link|\/assets\//i);
  });

  it('a file lesson offers its file, with its size and name, as an attachment sent as it is', async () => {
    const { agent } = await signInAgent(t, learnerEmail);
    const page = await agent.get(lessonPage(lessons.pdf)).expect(200);
    expect(page.text).toContain(
      `<a class="button" href="/api/v1/lessons/${lessons.pdf}/file" download data-test="offline">Unduh untuk dibaca offline (1,2 MB)</a> <span class="hint">formulir-insiden.pdf</span>`,
    );
    // The same file from the lesson's download URL and from the API's.
    for (const url of [download(lessons.pdf), `/api/v1/lessons/${lessons.pdf}/file`]) {
      const file = await agent
        .get(url)
        .set('accept-encoding', 'br, gzip')
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(file.headers['content-type']).toBe('application/pdf');
      expect(file.headers['content-disposition']).toContain(
        'attachment; filename="formulir-insiden.pdf"',
      );
      // A PDF is not squeezed again: it travels as stored, its length known to the browser.
      expect(file.headers['content-encoding']).toBeUndefined();
      expect(Number(file.headers['content-length'])).toBe(PDF.length);
      expect((file.body as Buffer).equals(PDF)).toBe(true);
    }
  });

  it('in English the sizes use a decimal point', async () => {
    const { agent } = await signInAgent(t, learnerEmail);
    const page = await agent.get(lessonPage(lessons.pdf)).set('accept-language', 'en').expect(200);
    expect(page.text).toContain('Download to read offline (1.2 MB)');
  });

  it('a link lesson has nothing to download; asking anyway says so', async () => {
    const { agent } = await signInAgent(t, learnerEmail);
    const page = await agent.get(lessonPage(lessons.link)).expect(200);
    expect(page.text).not.toContain('data-test="offline"');
    const res = await agent.get(download(lessons.link)).expect(303);
    expect(res.headers.location).toBe(`/pelatihan/${courseId}`);
    const course = await agent.get(`/pelatihan/${courseId}`).expect(200);
    expect(course.text).toContain('Pelajaran ini tidak dapat diunduh');
  });

  it('only the enrolled download; strangers go to the course page, the anonymous to sign in', async () => {
    const stranger = await t.createUser('asn');
    const { agent } = await signInAgent(t, stranger.email!);
    for (const id of [lessons.text, lessons.pdf]) {
      const res = await agent.get(download(id)).expect(303);
      expect(res.headers.location).toBe(`/pelatihan/${courseId}`);
    }
    // The file's own API address is no way round it: a stranger gets the same 404 as for no
    // such file; the sector's coordinator still gets it (staff see their sector's files).
    const file = `/api/v1/lessons/${lessons.pdf}/file`;
    const strangerToken = await t.tokenFor(stranger);
    const refused = await t.as(strangerToken).get(file).expect(404);
    expect(refused.body.code).toBe('course.not_found');
    const coordinator = await t.createUser('coordinator', { sectors: ['health'] });
    await t
      .as(await t.tokenFor(coordinator))
      .get(file)
      .expect(200);
    const anonymous = await t.http.get(download(lessons.text));
    expect([302, 303]).toContain(anonymous.status);
    expect(anonymous.headers.location).toMatch(/^\/masuk/);
    expect(anonymous.text).not.toContain('Sasaran pertama');
  });
});
