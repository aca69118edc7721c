import { aSectorCompetency, aSectorPosition, anAsnIn } from '../helpers/sector-world.js';
import { bootTestApp, csrfOf, engine, signInAgent, TestApp } from '../helpers/test-app.js';

const GIFT = [
  '::A:: Ibu kota Sumatera Utara? {=Medan ~Padang ~Sibolga}',
  '::B:: Cuci tangan sebelum kontak pasien. {T}',
  '::C:: Jelaskan langkah identifikasi pasien. {}',
].join('\n\n');

describe(`assessment pages (${engine})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp();
  });
  afterAll(() => t.close());

  it('a coordinator writes and publishes an exam on the pages; an ASN sits it without JavaScript; the essay is graded on the queue page', async () => {
    const coordinatorUser = await t.createUser('coordinator', { sectors: ['health'] });
    const token = await t.tokenFor(coordinatorUser);
    // The exam attests a health competency; its candidate is an ASN of the health sector,
    // whose essay the health coordinator may grade (ADR 0012).
    const admin = await t.tokenFor(await t.createUser('admin'));
    await aSectorCompetency(t, admin, 'health', 'KES.IDPASIEN');
    const healthPosition = await aSectorPosition(t, admin, 'health', 'KES-PERAWAT');
    const bankId = (
      await t
        .as(token)
        .post('/api/v1/question-banks')
        .send({ name: 'Bank Ujian', sector: 'health' })
        .expect(201)
    ).body.id;
    await t
      .as(token)
      .post(`/api/v1/question-banks/${bankId}/import?format=gift`)
      .set('content-type', 'text/plain')
      .send(GIFT)
      .expect(200);

    const { agent: coordinator } = await signInAgent(t, coordinatorUser.email!);
    const list = await coordinator.get('/kelola/ujian').expect(200);
    const created = await coordinator
      .post('/kelola/ujian')
      .type('form')
      .send({
        _csrf: csrfOf(list.text),
        title: 'Ujian Identifikasi Pasien',
        sector: 'health',
        bankId,
        count: '3',
        timeLimitMinutes: '20',
        passPercent: '50',
      })
      .expect(303);
    const editUrl = created.headers.location as string;
    const edit = await coordinator.get(editUrl).expect(200);
    expect(edit.text).toContain('value="Ujian Identifikasi Pasien"');
    const refused = await coordinator
      .post(editUrl)
      .type('form')
      .send({
        _csrf: csrfOf(edit.text),
        title: 'Ujian Identifikasi Pasien',
        bankId,
        count: '9',
        action: 'save',
        shuffle: '1',
        reviewPolicy: 'feedback',
        layout: 'all',
        maxAttempts: '1',
        passPercent: '50',
        timeLimitMinutes: '20',
      })
      .expect(303);
    expect(refused.headers.location).toBe(editUrl);
    const publishRefused = await coordinator
      .post(editUrl)
      .type('form')
      .send({ _csrf: csrfOf(edit.text), action: 'publish' })
      .expect(400);
    expect(publishRefused.text).toContain(
      'Bagian 1 (bank «Bank Ujian»): perlu 9 soal yang cocok, bank hanya punya 3.',
    );
    // "Terbitkan" with the form as typed: the typed count is saved first, the bank cannot
    // fill it, and the page says so (saved, not published), naming the section.
    const typedRefused = await coordinator
      .post(editUrl)
      .type('form')
      .send({
        _csrf: csrfOf(edit.text),
        title: 'Ujian Identifikasi Pasien (revisi)',
        bankId,
        count: '12',
        action: 'publish',
        reviewPolicy: 'feedback',
        layout: 'all',
        maxAttempts: '1',
        passPercent: '50',
        timeLimitMinutes: '20',
      })
      .expect(400);
    expect(typedRefused.text).toContain(
      'Perubahan disimpan, tetapi ujian belum diterbitkan: Bagian 1 (bank «Bank Ujian»): perlu 12 soal yang cocok, bank hanya punya 3.',
    );
    expect(typedRefused.text).toContain('value="Ujian Identifikasi Pasien (revisi)"');
    expect(typedRefused.text).toMatch(/id="count" name="count" inputmode="numeric" value="12"/);
    // The unsaved edits (count 3, the attests) go out with "Terbitkan": saved, then published.
    await coordinator
      .post(editUrl)
      .type('form')
      .send({
        _csrf: csrfOf(edit.text),
        title: 'Ujian Identifikasi Pasien',
        bankId,
        count: '3',
        action: 'publish',
        shuffle: '',
        reviewPolicy: 'feedback',
        layout: 'all',
        maxAttempts: '1',
        passPercent: '50',
        timeLimitMinutes: '20',
        attests: 'KES.IDPASIEN:2',
      })
      .expect(303);
    const published = await coordinator.get(editUrl).expect(200);
    expect(published.text).toContain('Ujian diterbitkan.');
    expect(published.text).toMatch(/id="count" name="count" inputmode="numeric" value="3"/);
    expect(published.text).toContain('KES.IDPASIEN:2');
    const preview = await coordinator.get(`${editUrl}/pratinjau`).expect(200);
    expect(preview.text).toContain('Ibu kota Sumatera Utara?');
    expect(preview.text).toMatch(/type="radio"[^>]*name="s1"/);
    const assessmentId = editUrl.split('/').pop()!;

    const asnUser = await anAsnIn(t, healthPosition);
    const { agent: asn } = await signInAgent(t, asnUser.email!);
    const exams = await asn.get('/ujian').expect(200);
    expect(exams.text).toContain('Ujian Identifikasi Pasien');
    const start = await asn.get(`/ujian/${assessmentId}`).expect(200);
    const started = await asn
      .post(`/ujian/${assessmentId}/mulai`)
      .type('form')
      .send({ _csrf: csrfOf(start.text) })
      .expect(303);
    const examUrl = started.headers.location as string;
    const exam = await asn.get(examUrl).expect(200);
    expect(exam.text).toContain('data-deadline=');
    expect(exam.text).not.toMatch(/fraction|Medan#/);
    // Unshuffled, the bank's order: A (choice), B (true/false), C (essay).
    const medan = /id="(s1_\d)" name="s1" value="([0-9a-f]{12})"> <span>Medan/.exec(exam.text)!;
    await asn
      .post(examUrl)
      .type('form')
      .send({
        _csrf: csrfOf(exam.text),
        slots: '1,2,3',
        s1: medan[2],
        s2: 'true',
        s3: 'Tanya nama dan tanggal lahir, cocokkan dengan gelang.',
        flag3: '1',
        go: 'finish',
      })
      .expect(303)
      .expect('location', `${examUrl}/kumpulkan`);
    const confirm = await asn.get(`${examUrl}/kumpulkan`).expect(200);
    expect(confirm.text).toContain('Semua soal sudah dijawab.');
    expect(confirm.text).toContain('Ditandai untuk ditinjau: soal 3');
    await asn
      .post(`${examUrl}/kumpulkan`)
      .type('form')
      .send({ _csrf: csrfOf(confirm.text) })
      .expect(303)
      .expect('location', `${examUrl}/hasil`);
    const waiting = await asn.get(`${examUrl}/hasil`).expect(200);
    expect(waiting.text).toContain('Menunggu penilaian');
    // Another ASN cannot open it.
    const other = await t.createUser('asn');
    const { agent: stranger } = await signInAgent(t, other.email!);
    await stranger.get(`${examUrl}/hasil`).expect(404);

    const attempts = await coordinator.get(`${editUrl}/peserta`).expect(200);
    expect(attempts.text).toContain('3/3');
    const queue = await coordinator.get('/kelola/penilaian').expect(200);
    expect(queue.text).toContain('cocokkan dengan gelang');
    expect(queue.text).not.toContain(asnUser.name);
    const action = /action="(\/kelola\/penilaian\/[^"]+)"/.exec(queue.text)![1];
    // Above the question's points: the queue again with the message, the score and the
    // comment as typed, and nothing saved.
    const tooHigh = await coordinator
      .post(action)
      .type('form')
      .send({ _csrf: csrfOf(queue.text), score: '5', comment: 'Lengkap & runtut' })
      .expect(400);
    expect(tooHigh.text).toContain(
      'Nilai untuk soal ini belum disimpan: Nilai tidak boleh melebihi poin soal (1)',
    );
    expect(tooHigh.text).toMatch(
      /name="score" inputmode="decimal" required value="5" aria-invalid="true"/,
    );
    expect(tooHigh.text).toContain('value="Lengkap &amp; runtut"');
    const blank = await coordinator
      .post(action)
      .type('form')
      .send({ _csrf: csrfOf(queue.text), score: '-1', comment: 'x' })
      .expect(400);
    expect(blank.text).toContain('Nilai harus angka ≥ 0');
    await coordinator
      .post(action)
      .type('form')
      .send({ _csrf: csrfOf(queue.text), score: '1', comment: 'Tepat' })
      .expect(303);
    const result = await asn.get(`${examUrl}/hasil`).expect(200);
    expect(result.text).toContain('Skor 3 dari 3 (100 %)');
    expect(result.text).toContain('Catatan penilai: Tepat');

    const xlsx = await coordinator
      .get(`/api/v1/assessments/${assessmentId}/attempts?format=csv`)
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(xlsx.text).toContain('Nama,NIP');
  });
});
