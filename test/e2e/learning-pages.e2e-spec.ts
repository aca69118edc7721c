import { bootTestApp, csrfOf, engine, signInAgent, TestApp } from '../helpers/test-app.js';

describe(`course authoring pages (${engine})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp();
  });
  afterAll(() => t.close());

  it('a coordinator creates a course, previews, adds, edits and reorders lessons, uploads a file and publishes', async () => {
    const coordinator = await t.createUser('coordinator', { sectors: ['education'] });
    const { agent: agent, res: login } = await signInAgent(t, coordinator.email!);
    expect(login.status).toBe(303);
    const list = await agent.get('/kelola/pelatihan').expect(200);
    const token = csrfOf(list.text);
    const created = await agent
      .post('/kelola/pelatihan')
      .type('form')
      .send({
        _csrf: token,
        sector: 'education',
        code: 'PEND-RPP',
        title: 'Menyusun Modul Ajar',
        jp: '3',
        competencies: 'M.3:2',
        objectives: 'Menyusun modul ajar\nMenilai hasil belajar',
      })
      .expect(303);
    const url = created.headers.location as string;
    const id = url.split('/').pop()!;

    const preview = await agent
      .post(`${url}/pelajaran`)
      .type('form')
      .send({
        _csrf: token,
        action: 'preview',
        title: 'Pengantar',
        kind: 'markdown',
        body: 'Halo <script>x()</script>**guru**',
      })
      .expect(200);
    expect(preview.text).toContain('<strong>guru</strong>');
    expect(preview.text).not.toContain('<script>x()');
    await agent
      .post(`${url}/pelajaran`)
      .type('form')
      .send({
        _csrf: token,
        action: 'save',
        title: 'Pengantar',
        kind: 'markdown',
        body: 'Isi **pengantar**',
        required: 'true',
      })
      .expect(303);
    await agent
      .post(`${url}/pelajaran`)
      .type('form')
      .send({ _csrf: token, action: 'save', title: 'Contoh modul', kind: 'file', required: 'true' })
      .expect(303);
    const bad = await agent
      .post(`${url}/pelajaran`)
      .type('form')
      .send({ _csrf: token, action: 'save', title: 'Tautan', kind: 'link', url: 'bukan tautan' })
      .expect(400);
    expect(bad.text).toContain('url harus alamat http(s)');

    const token2 = csrfOf((await agent.get(url).expect(200)).text);
    const course = (
      await t
        .as(await t.tokenFor(coordinator))
        .get(`/api/v1/courses/${id}`)
        .expect(200)
    ).body;
    const [intro, file] = course.lessons;
    await agent
      .post(`${url}/pelajaran/${intro.id}`)
      .type('form')
      .send({
        _csrf: token2,
        action: 'save',
        title: 'Pengantar modul ajar',
        body: 'Isi baru',
        required: 'true',
      })
      .expect(303);
    await agent
      .post(`${url}/pelajaran/${file.id}/geser`)
      .type('form')
      .send({ _csrf: token2, direction: 'up' })
      .expect(303);
    await agent
      .post(`${url}/pelajaran/${file.id}/berkas?_csrf=${encodeURIComponent(token2)}`)
      .attach('file', Buffer.from('%PDF-1.4\n%%EOF\n'), 'contoh.pdf')
      .expect(303);
    const exe = await agent
      .post(`${url}/pelajaran/${file.id}/berkas?_csrf=${encodeURIComponent(token2)}`)
      .attach('file', Buffer.from('MZ\x00\x00'), 'contoh.pdf')
      .expect(400);
    expect(exe.text).toContain('Jenis berkas tidak diizinkan');
    // The study minimum: fixed minutes, back to a share, nonsense refused with the field.
    const editPage = await agent.get(url).expect(200);
    expect(editPage.text).toContain(
      'name="minStudyPercent" type="number" min="0" max="100" step="1" value="50"',
    );
    const courseForm = {
      _csrf: token2,
      title: 'Menyusun Modul Ajar',
      jp: '3',
      competencies: 'M.3:2',
      objectives: 'Menyusun modul ajar',
    };
    await agent
      .post(url)
      .type('form')
      .send({ ...courseForm, minStudyPercent: '50', minStudyMinutes: '4' })
      .expect(303);
    const coordinatorToken = await t.tokenFor(coordinator);
    const withMinutes = (await t.as(coordinatorToken).get(`/api/v1/courses/${id}`)).body;
    expect(withMinutes).toMatchObject({ minStudyMinutes: 4 });
    expect(withMinutes.lessons[0].minStudySeconds).toBe(240);
    await agent
      .post(url)
      .type('form')
      .send({ ...courseForm, minStudyPercent: '0', minStudyMinutes: '' })
      .expect(303);
    expect((await t.as(coordinatorToken).get(`/api/v1/courses/${id}`)).body).toMatchObject({
      minStudyPercent: 0,
      minStudyMinutes: null,
    });
    const nonsense = await agent
      .post(url)
      .type('form')
      .send({ ...courseForm, minStudyPercent: '150', minStudyMinutes: '' })
      .expect(400);
    expect(nonsense.text).toContain('minStudyPercent harus bilangan bulat 0–100');
    await agent.post(`${url}/terbitkan`).type('form').send({ _csrf: token2 }).expect(303);

    const after = (
      await t
        .as(await t.tokenFor(coordinator))
        .get(`/api/v1/courses/${id}`)
        .expect(200)
    ).body;
    expect(after.status).toBe('published');
    expect(after.lessons.map((l: { title: string }) => l.title)).toEqual([
      'Contoh modul',
      'Pengantar modul ajar',
    ]);
    expect(after.lessons[0].file).toEqual({ name: 'contoh.pdf', size: 15 });

    const health = await t.createUser('coordinator', { sectors: ['health'] });
    const { agent: other, res: otherLogin } = await signInAgent(t, health.email!);
    expect(otherLogin.status).toBe(303);
    await other.get(url).expect(403);
  });
});
