import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/paths.js';
import { aHealthBank, importQuestions } from '../helpers/exams.js';
import { bootTestApp, csrfOf, engine, signInAgent, TestApp } from '../helpers/test-app.js';

const moodle = (name: string) =>
  readFileSync(join(projectRoot, 'test', 'fixtures', 'moodle-questions', 'moodle-xml', name));
const media = readFileSync(join(projectRoot, 'test', 'fixtures', 'question-media', 'media.xml'));

/** The bytes of `<file name="name">` in a Moodle XML text. */
const fileIn = (xml: string, name: string) =>
  Buffer.from(
    new RegExp(`<file name="${name}"[^>]*>([^<]+)</file>`).exec(xml)![1].replace(/\s+/g, ''),
    'base64',
  );
const FILE_URL = /\/api\/v1\/question-files\/[a-f0-9]{64}\.[a-z0-9]+/g;
const binary = (res: { body: unknown }) => res.body as Buffer;

describe(`question files (${engine})`, () => {
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

  const aBank = (name: string) => aHealthBank(t, coordinator, name);
  const importXml = async (bank: string, xml: Buffer | string) =>
    (await importQuestions(t, coordinator, bank, 'moodle-xml', xml).expect(200)).body as {
      imported: number;
      skipped: { line: number; reason: string }[];
      warnings: { line: number; name: string; reason: string }[];
    };
  const fetchFile = (token: string, url: string) =>
    t
      .as(token)
      .get(url)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
  const questionsOf = async (bank: string) =>
    (await t.as(coordinator).get(`/api/v1/question-banks/${bank}/questions`).expect(200)).body as {
      name: string;
      stem: string;
      generalFeedback: string;
      definition: unknown;
    }[];

  it("stores the files of Moodle's fixtures, rewrites their references, and serves them to staff", async () => {
    const bank = await aBank('Moodle dengan berkas');
    const tf = moodle('truefalse.xml');
    const report = await importXml(bank, tf);
    expect(report).toEqual(expect.objectContaining({ imported: 2, skipped: [], warnings: [] }));
    const mc = await importXml(bank, moodle('multichoice.xml'));
    expect(mc.warnings).toEqual([]);
    const questions = await questionsOf(bank);
    const all = JSON.stringify(questions);
    expect(all).not.toContain('@@PLUGINFILE@@');
    const urls = [...new Set(all.match(FILE_URL))];
    // logo, infos, thumbup, thumbdown; bonjour.mp3 and four flags.
    expect(urls).toHaveLength(9);
    const logo = questions
      .find((q) => q.name === 'Moodle acronym (True)')!
      .stem.match(FILE_URL)![0];
    const res = await fetchFile(coordinator, logo).expect(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(binary(res).equals(fileIn(tf.toString('utf8'), 'logo.jpg'))).toBe(true);
    const mp3 = urls.find((u) => u.endsWith('.mp3'))!;
    expect((await fetchFile(coordinator, mp3).expect(200)).headers['content-type']).toBe(
      'audio/mpeg',
    );
    // Another sector's coordinator learns nothing, not even that it exists.
    await fetchFile(otherCoordinator, logo).expect(404);
    await t.http.get(logo).expect(401);
  });

  it("brings Moodle 1.9's <image> in, and lists every file it cannot bring", async () => {
    const bank = await aBank('Berkas lama dan rusak');
    const old = await importXml(bank, moodle('sample_questions_with_old_image_tag.xml'));
    // Both the cloze and the multichoice come in, each with its old-style image.
    expect(old.imported).toBe(2);
    expect(old.skipped).toEqual([]);
    for (const name of ['mcq with image', 'cloze question with image']) {
      const withImage = (await questionsOf(bank)).find((q) => q.name === name)!;
      expect(withImage.stem).toMatch(FILE_URL);
      await fetchFile(coordinator, withImage.stem.match(FILE_URL)![0]).expect(200);
    }

    const own = await importXml(bank, media);
    expect(own.imported).toBe(2);
    expect(own.warnings).toEqual([
      expect.objectContaining({
        line: 16,
        name: 'Gambar berbahaya',
        reason: expect.stringMatching(/logo\.svg.*bukan gambar/),
      }),
      expect.objectContaining({
        line: 16,
        name: 'Gambar berbahaya',
        reason: expect.stringContaining('hilang.png'),
      }),
    ]);
    const sign = (await questionsOf(bank)).find((q) => q.name === 'Rambu dengan gambar')!;
    // Options' images are named by content: "correct.png" is the stem's red image, by hash.
    const [stemUrl] = sign.stem.match(FILE_URL)!;
    const optionUrls = JSON.stringify(sign.definition).match(FILE_URL)!;
    expect(optionUrls[0]).toBe(stemUrl);
    expect(JSON.stringify(sign)).not.toMatch(/correct|wrong/);
  });

  it('serves a candidate the files of their attempt only; export and import keep the same bytes', async () => {
    const bank = await aBank('Ujian bergambar');
    const tf = moodle('truefalse.xml');
    await importXml(bank, tf);
    const other = await aBank('Bank lain');
    await importXml(other, moodle('multichoice.xml'));
    const flag = JSON.stringify(await questionsOf(other)).match(FILE_URL)![0];

    const assessment = (
      await t
        .as(coordinator)
        .post('/api/v1/assessments')
        .send({
          title: 'Ujian bergambar',
          sector: 'health',
          timeLimitMinutes: 30,
          passPercent: 50,
          maxAttempts: 0,
          shuffle: false,
          sections: [{ bankId: bank, count: 2 }],
        })
        .expect(201)
    ).body.id as string;
    await t.as(coordinator).post(`/api/v1/assessments/${assessment}/publish`).expect(200);
    const candidate = await t.tokenFor(await t.createUser('asn'));
    const stranger = await t.tokenFor(await t.createUser('asn'));
    const attempt = (
      await t.as(candidate).post(`/api/v1/assessments/${assessment}/attempts`).expect(201)
    ).body as { id: string; items: { stem: string }[] };
    const logo = attempt.items[0].stem.match(FILE_URL)![0];
    const seen = await fetchFile(candidate, logo).expect(200);
    expect(binary(seen).equals(fileIn(tf.toString('utf8'), 'logo.jpg'))).toBe(true);

    // The attacker: another candidate with the address, and this candidate asking for a file
    // of a question not in their attempt, or for an author's file name.
    await fetchFile(stranger, logo).expect(404);
    await fetchFile(candidate, flag).expect(404);
    await fetchFile(candidate, '/api/v1/question-files/logo.jpg').expect(404);
    await fetchFile(candidate, '/api/v1/question-files/..%2f..%2fjwt-secret').expect(404);

    // Finished, the attempt still shows its question in review.
    await t.as(candidate).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200);
    await fetchFile(candidate, logo).expect(200);

    const exported = (
      await t
        .as(coordinator)
        .get(`/api/v1/question-banks/${bank}/export?format=moodle-xml`)
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString('utf8')));
          res.on('end', () => done(null, text));
        })
        .expect(200)
    ).body as string;
    expect(exported).toContain('@@PLUGINFILE@@/');
    expect(exported).not.toContain('/api/v1/question-files/');
    const name = logo.split('/').pop()!;
    expect(fileIn(exported, name).equals(fileIn(tf.toString('utf8'), 'logo.jpg'))).toBe(true);

    const again = await aBank('Impor ulang');
    expect((await importXml(again, exported)).warnings).toEqual([]);
    const back = (await questionsOf(again)).find((q) => q.name === 'Moodle acronym (True)')!;
    expect(back.stem.match(FILE_URL)![0]).toBe(logo);
    expect(binary(await fetchFile(coordinator, logo).expect(200)).equals(binary(seen))).toBe(true);
  });

  it("lends no file to another sector's question that names its address", async () => {
    const health = await aBank('Rahasia kesehatan');
    const url = (
      await t
        .as(coordinator)
        .post(`/api/v1/question-banks/${health}/files`)
        .attach('file', fileIn(media.toString('utf8'), 'wrong.png'), 'a.png')
        .expect(201)
    ).body.url as string;
    // An education coordinator who learnt the address writes it into their own question.
    const education = (
      await t
        .as(otherCoordinator)
        .post('/api/v1/question-banks')
        .send({ name: 'Bank pendidikan', sector: 'education' })
        .expect(201)
    ).body.id as string;
    await t
      .as(otherCoordinator)
      .post(`/api/v1/question-banks/${education}/questions`)
      .send({
        name: 'Pinjam',
        type: 'true_false',
        stem: `Lihat <img src="${url}">`,
        definition: { answer: true },
      })
      .expect(201);
    const exam = (
      await t
        .as(otherCoordinator)
        .post('/api/v1/assessments')
        .send({
          title: 'Pinjam berkas',
          sector: 'education',
          timeLimitMinutes: 30,
          passPercent: 50,
          maxAttempts: 0,
          shuffle: false,
          sections: [{ bankId: education, count: 1 }],
        })
        .expect(201)
    ).body.id as string;
    await t.as(otherCoordinator).post(`/api/v1/assessments/${exam}/publish`).expect(200);
    const accomplice = await t.tokenFor(await t.createUser('asn'));
    const attempt = (
      await t.as(accomplice).post(`/api/v1/assessments/${exam}/attempts`).expect(201)
    ).body as { id: string; items: { stem: string }[] };
    expect(attempt.items[0].stem).toContain(url);
    await fetchFile(accomplice, url).expect(404);
    await t.as(accomplice).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200);
    await fetchFile(accomplice, url).expect(404);
    await fetchFile(coordinator, url).expect(200);
  });

  it('serves a file of the feedback only once the review shows the feedback', async () => {
    const bank = await aBank('Umpan balik bergambar');
    const upload = async (content: Buffer) =>
      (
        await t
          .as(coordinator)
          .post(`/api/v1/question-banks/${bank}/files`)
          .attach('file', content, 'berkas')
          .expect(201)
      ).body.url as string;
    const tf = moodle('truefalse.xml').toString('utf8');
    const inOption = await upload(fileIn(media.toString('utf8'), 'wrong.png'));
    const inGeneral = await upload(fileIn(media.toString('utf8'), 'correct.png'));
    const inChosen = await upload(fileIn(tf, 'thumbup.jpg'));
    const inOther = await upload(fileIn(tf, 'thumbdown.jpg'));
    await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bank}/questions`)
      .send({
        name: 'Rambu',
        type: 'single_choice',
        stem: 'Rambu mana yang benar?',
        generalFeedback: `Pembahasan <img src="${inGeneral}">`,
        definition: {
          options: [
            {
              id: 'a',
              text: `<img src="${inOption}"> Merah`,
              fraction: 1,
              feedback: `<img src="${inChosen}">`,
            },
            { id: 'b', text: 'Hijau', fraction: 0, feedback: `<img src="${inOther}">` },
          ],
        },
      })
      .expect(201);
    const examWith = async (reviewPolicy: string) => {
      const id = (
        await t
          .as(coordinator)
          .post('/api/v1/assessments')
          .send({
            title: `Umpan balik ${reviewPolicy}`,
            sector: 'health',
            timeLimitMinutes: 30,
            passPercent: 50,
            maxAttempts: 1,
            shuffle: false,
            reviewPolicy,
            sections: [{ bankId: bank, count: 1 }],
          })
          .expect(201)
      ).body.id as string;
      await t.as(coordinator).post(`/api/v1/assessments/${id}/publish`).expect(200);
      return id;
    };
    const sit = async (exam: string) => {
      const candidate = await t.tokenFor(await t.createUser('asn'));
      const attempt = (
        await t.as(candidate).post(`/api/v1/assessments/${exam}/attempts`).expect(201)
      ).body as { id: string; items: { options: { id: string; text: string }[] }[] };
      const red = attempt.items[0].options.find((o) => o.text.includes(inOption))!;
      await t
        .as(candidate)
        .put(`/api/v1/attempts/${attempt.id}/answers/1`)
        .send({ response: red.id })
        .expect(200);
      return { candidate, attempt: attempt.id };
    };

    // While the attempt is open: what the candidate is shown, never the feedback.
    const open = await sit(await examWith('feedback'));
    await fetchFile(open.candidate, inOption).expect(200);
    for (const url of [inGeneral, inChosen, inOther])
      await fetchFile(open.candidate, url).expect(404);
    // Submitted under a policy that shows feedback: the general one and that of their choice.
    await t.as(open.candidate).post(`/api/v1/attempts/${open.attempt}/submit`).expect(200);
    await fetchFile(open.candidate, inGeneral).expect(200);
    await fetchFile(open.candidate, inChosen).expect(200);
    await fetchFile(open.candidate, inOther).expect(404);

    // Under a policy that shows no feedback, submitting changes nothing.
    const hidden = await sit(await examWith('none'));
    await t.as(hidden.candidate).post(`/api/v1/attempts/${hidden.attempt}/submit`).expect(200);
    await fetchFile(hidden.candidate, inOption).expect(200);
    for (const url of [inGeneral, inChosen, inOther])
      await fetchFile(hidden.candidate, url).expect(404);
  });

  it('lists the file references GIFT cannot carry, and addresses of files the bank does not hold', async () => {
    const bank = await aBank('GIFT bergambar');
    const home = await aBank('Asal berkas');
    const stored = (
      await t
        .as(coordinator)
        .post(`/api/v1/question-banks/${home}/files`)
        .attach('file', fileIn(media.toString('utf8'), 'wrong.png'), 'a.png')
        .expect(201)
    ).body.url as string;
    const gift = [
      '::Logo::[html]Lihat <img src\\="@@PLUGINFILE@@/logo.png"> {T}',
      `::Salinan::[html]Lihat <img src\\="${stored}"> {T}`,
    ].join('\n\n');
    const res = await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bank}/import?format=gift`)
      .set('content-type', 'text/plain')
      .send(gift)
      .expect(200);
    expect(res.body.imported).toBe(2);
    expect(res.body.warnings).toEqual([
      expect.objectContaining({ name: 'Logo', reason: expect.stringMatching(/GIFT.*logo\.png/) }),
      expect.objectContaining({
        name: 'Salinan',
        reason: expect.stringContaining('tidak ada di bank ini'),
      }),
    ]);
  });

  it('uploads an image for the editor; refuses SVG and names the field', async () => {
    const bank = await aBank('Unggah');
    const png = fileIn(media.toString('utf8'), 'wrong.png');
    const res = await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bank}/files`)
      .attach('file', png, 'gambar.png')
      .expect(201);
    expect(res.body.url).toMatch(FILE_URL);
    const svg = await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bank}/files`)
      .attach('file', Buffer.from('<svg onload="alert(1)"/>'), 'x.svg')
      .expect(400);
    expect(svg.body.message).toContain('x.svg');
    await t
      .as(otherCoordinator)
      .post(`/api/v1/question-banks/${bank}/files`)
      .attach('file', png, 'gambar.png')
      .expect(403);
    // Over the 2 MB a question file may have (and over the app's 5 MB): reading stops at 2 MB.
    const big = Buffer.concat([png, Buffer.alloc(6 * 1024 * 1024, 0x41)]);
    const tooBig = await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bank}/files`)
      .attach('file', big, 'besar.png')
      .expect(400);
    expect(tooBig.body).toEqual(
      expect.objectContaining({
        code: 'upload.too_large',
        errors: [{ field: 'file', reason: expect.stringContaining('maksimal 2 MB') }],
      }),
    );
  });

  it("documents the upload route as storing a file, not as the bank's export", async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { summary?: string }>>;
    };
    const bank = doc.paths['/api/v1/question-banks/{id}/files'].post;
    const exported = doc.paths['/api/v1/question-banks/{id}/export'].get;
    expect(bank.summary).toBe(
      "Store an image or audio file for a bank's questions; its address to put in a text.",
    );
    expect(exported.summary).toBe("Export a bank's questions as GIFT or Moodle XML.");
  });

  it('the editor page adds an image to the question text with a plain form, and lists import warnings', async () => {
    const user = await t.createUser('coordinator', { sectors: ['health'] });
    const { agent } = await signInAgent(t, user.email!);
    const bank = (
      await t
        .as(await t.tokenFor(user))
        .post('/api/v1/question-banks')
        .send({ name: 'Penyunting', sector: 'health' })
        .expect(201)
    ).body.id as string;
    const bankPage = await agent.get(`/kelola/bank-soal/${bank}`).expect(200);
    const preview = await agent
      .post(
        `/kelola/bank-soal/${bank}/impor?mode=preview&format=moodle-xml&_csrf=${encodeURIComponent(csrfOf(bankPage.text))}`,
      )
      .attach('file', media, 'media.xml')
      .expect(200);
    expect(preview.text).toContain('Diimpor dengan catatan');
    expect(preview.text).toContain('hilang.png');
    await importXml(bank, media);
    const question = (await questionsOf(bank)).find((q) => q.name === 'Gambar berbahaya')! as {
      id?: string;
      stem: string;
    };
    const url = `/kelola/bank-soal/${bank}/soal/${question.id}`;
    const page = await agent.get(url).expect(200);
    expect(page.text).toContain('enctype="multipart/form-data"');
    const png = fileIn(media.toString('utf8'), 'wrong.png');
    const posted = await agent
      .post(`${url}/gambar?_csrf=${encodeURIComponent(csrfOf(page.text))}`)
      .field('alt', 'Rambu "hijau" <b>')
      .attach('file', png, 'hijau.png')
      .expect(303);
    const shown = await agent.get(posted.headers.location as string).expect(200);
    expect(shown.text).toMatch(
      /<img src="\/api\/v1\/question-files\/[a-f0-9]{64}\.png" alt="Rambu &quot;hijau&quot; &lt;b&gt;"/,
    );
    const refused = await agent
      .post(`${url}/gambar?_csrf=${encodeURIComponent(csrfOf(page.text))}`)
      .attach('file', Buffer.from('<html><script>alert(1)</script>'), 'x.html')
      .expect(303);
    expect(refused.headers.location).toBe(url);
    const big = Buffer.concat([png, Buffer.alloc(6 * 1024 * 1024, 0x41)]);
    const tooBig = await agent
      .post(`${url}/gambar?_csrf=${encodeURIComponent(csrfOf(page.text))}`)
      .attach('file', big, 'besar.png')
      .expect(303);
    expect(tooBig.headers.location).toBe(url);
    expect((await agent.get(url).expect(200)).text).toContain('maksimal 2 MB');
    // Without the form's token nothing is stored.
    await agent.post(`${url}/gambar`).attach('file', png, 'hijau.png').expect(403);
  });
});
