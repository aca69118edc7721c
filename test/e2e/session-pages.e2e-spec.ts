import { bootTestApp, csrfOf, engine, signInAgent, TestApp } from '../helpers/test-app.js';

const GIFT = [
  '::A:: Cuci tangan sebelum kontak pasien. {T}',
  '::B:: Gelang identitas boleh dilepas saat tindakan. {F}',
].join('\n\n');

/**
 * The supervised-session pages without JavaScript (ADR 0024): who may open the console and
 * act, the candidate's PIN form and its refusals, the public board, the coordinator's page.
 */
describe(`session pages (${engine})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp();
  });
  afterAll(() => t.close());

  it('the console is the proctors’; the PIN form refuses on the page, keeping what was typed; the board hides NIPs; the sessions page is the coordinator’s; closing and correcting the minutes', async () => {
    const coordinator = await t.signIn('coordinator', { sectors: ['health'] });
    const proctor = await t.createUser('asn', { nip: '198807202014031002' });
    const candidate = await t.createUser('asn', { nip: '199003152015032001' });
    const stranger = await t.createUser('asn', { nip: '199106052019031004' });
    const otherCoordinator = await t.createUser('coordinator', { sectors: ['education'] });

    const bankId = (
      await coordinator.api
        .post('/api/v1/question-banks')
        .send({ name: 'Bank Sesi', sector: 'health' })
        .expect(201)
    ).body.id;
    await coordinator.api
      .post(`/api/v1/question-banks/${bankId}/import?format=gift`)
      .set('content-type', 'text/plain')
      .send(GIFT)
      .expect(200);
    const assessmentId = (
      await coordinator.api
        .post('/api/v1/assessments')
        .send({
          title: 'Ujian Sesi Tersupervisi',
          sector: 'health',
          timeLimitMinutes: 20,
          passPercent: 50,
          maxAttempts: 1,
          shuffle: false,
          sections: [{ bankId, count: 2 }],
          supervised: true,
        })
        .expect(201)
    ).body.id;
    await coordinator.api.post(`/api/v1/assessments/${assessmentId}/publish`).expect(200);
    const sessionId = (
      await coordinator.api
        .post(`/api/v1/assessments/${assessmentId}/sessions`)
        .send({
          startsAt: new Date(Date.now() - 60_000).toISOString(),
          endsAt: new Date(Date.now() + 3_600_000).toISOString(),
          location: 'Ruang Rapat Dinkes',
          capacity: 10,
          proctorIds: [proctor.id],
        })
        .expect(201)
    ).body.id;
    await coordinator.api
      .post(`/api/v1/sessions/${sessionId}/candidates`)
      .send({ nips: [candidate.nip] })
      .expect(200);

    // Nobody signed in goes to the login form; a stranger gets the 403 page.
    const anonymous = await t.http.get(`/sesi/${sessionId}`).expect(303);
    expect(anonymous.headers.location).toBe(
      `/masuk?next=${encodeURIComponent(`/sesi/${sessionId}`)}`,
    );
    const { agent: strangerAgent } = await signInAgent(t, stranger.nip!);
    await strangerAgent.get('/sesi/bukan-uuid').expect(400);
    const refused = await strangerAgent.get(`/sesi/${sessionId}`).expect(403);
    expect(refused.text).toContain('Anda bukan pengawas sesi ini');
    expect(refused.text).not.toMatch(/class="pin"/);
    // A stranger's action is a message, not a change: the PIN stays as it was.
    const home = await strangerAgent.get('/beranda').expect(200);
    await strangerAgent
      .post(`/sesi/${sessionId}/pin`)
      .type('form')
      .send({ _csrf: csrfOf(home.text), reason: 'coba-coba' })
      .expect(303)
      .expect('location', `/sesi/${sessionId}`);
    await strangerAgent
      .post(`/kelola/ujian/${assessmentId}/sesi`)
      .type('form')
      .send({ _csrf: csrfOf(home.text), location: 'Di mana saja' })
      .expect(403);

    const { agent: proctorAgent } = await signInAgent(t, proctor.nip!);
    const console1 = await proctorAgent.get(`/sesi/${sessionId}`).expect(200);
    expect(console1.text).toContain('<meta http-equiv="refresh" content="15">');
    const pin = /data-test="pin">(\d+)</.exec(console1.text)![1];
    expect(console1.text).toContain(candidate.nip!);
    expect(console1.text).not.toContain('PIN diganti');

    // The candidate, without JavaScript: the PIN form, a wrong PIN refused on the page with
    // what was typed, then the right one.
    const { agent: candidateAgent } = await signInAgent(t, candidate.nip!);
    const start = await candidateAgent.get(`/ujian/${assessmentId}`).expect(200);
    expect(start.text).toContain('Ruang Rapat Dinkes');
    expect(start.text).toMatch(/<input id="pin" name="pin" inputmode="numeric" autocomplete="off"/);
    const wrong = pin === '000000' ? '999999' : '000000';
    const wrongPin = await candidateAgent
      .post(`/ujian/${assessmentId}/mulai`)
      .type('form')
      .send({ _csrf: csrfOf(start.text), sessionId, pin: wrong })
      .expect(403);
    expect(wrongPin.text).toContain('PIN salah; sisa 4 kali');
    expect(wrongPin.text).toContain(`value="${wrong}"`);
    const noSession = await candidateAgent
      .post(`/ujian/${assessmentId}/mulai`)
      .type('form')
      .send({ _csrf: csrfOf(start.text), pin })
      .expect(403);
    expect(noSession.text).toContain('harus diikuti dalam sesi tersupervisi');
    const started = await candidateAgent
      .post(`/ujian/${assessmentId}/mulai`)
      .type('form')
      .send({ _csrf: csrfOf(start.text), sessionId, pin })
      .expect(303);
    expect(started.headers.location).toMatch(/^\/ujian\/percobaan\/[0-9a-f-]{36}$/);

    // The proctor pauses: the exam page says so and stops its clock; a form save waits.
    const console2 = await proctorAgent.get(`/sesi/${sessionId}`).expect(200);
    const attemptId = started.headers.location.split('/').pop();
    await proctorAgent
      .post(`/sesi/${sessionId}/percobaan/${attemptId}/jeda`)
      .type('form')
      .send({ _csrf: csrfOf(console2.text), reason: 'Listrik padam' })
      .expect(303);
    const paused = await candidateAgent.get(started.headers.location).expect(200);
    expect(paused.text).toContain('data-paused=');
    expect(paused.text).toContain('Ujian dijeda oleh pengawas');
    await candidateAgent
      .post(started.headers.location)
      .type('form')
      .send({ _csrf: csrfOf(paused.text), slots: '1', s1: 'true', go: '0' })
      .expect(303)
      .expect('location', started.headers.location);
    // An unknown action is not a route of the console.
    await proctorAgent
      .post(`/sesi/${sessionId}/percobaan/${attemptId}/constructor`)
      .type('form')
      .send({ _csrf: csrfOf(console2.text), reason: 'apa saja' })
      .expect(404);

    // The public board: the masked NIP, no name, no full NIP.
    const board = await t.http.get(`/sessions/${sessionId}/board`).expect(200);
    expect(board.text).toContain('<meta http-equiv="refresh" content="10">');
    expect(board.text).toContain('********201503****');
    expect(board.text).not.toMatch(/\d{18}/);
    expect(board.text).not.toContain(candidate.name);

    // The coordinator's sessions page; another sector's coordinator is refused.
    const { agent: coordinatorAgent } = await signInAgent(t, coordinator.user.email!);
    const manage = await coordinatorAgent.get(`/kelola/ujian/${assessmentId}/sesi`).expect(200);
    expect(manage.text).toContain('Ruang Rapat Dinkes');
    expect(manage.text).toContain(`href="/sesi/${sessionId}"`);
    expect(manage.text).toContain(`href="/sessions/${sessionId}/board"`);
    const badNips = await coordinatorAgent
      .post(`/kelola/ujian/${assessmentId}/sesi/${sessionId}/peserta`)
      .type('form')
      .send({ _csrf: csrfOf(manage.text), nips: '12345' })
      .expect(400);
    expect(badNips.text).toContain('NIP harus 18 angka: 12345');
    const { agent: otherAgent } = await signInAgent(t, otherCoordinator.email!);
    await otherAgent.get(`/kelola/ujian/${assessmentId}/sesi`).expect(403);

    // Closing while someone works is refused as a message; voided, the session closes; the
    // coordinator corrects the minutes with a new version; a proctor may not.
    const console3 = await proctorAgent.get(`/sesi/${sessionId}`).expect(200);
    const csrf = csrfOf(console3.text);
    await proctorAgent
      .post(`/sesi/${sessionId}/tutup`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    expect((await proctorAgent.get(`/sesi/${sessionId}`).expect(200)).text).toContain(
      'Masih ada 1 peserta yang sedang mengerjakan',
    );
    await proctorAgent
      .post(`/sesi/${sessionId}/percobaan/${attemptId}/batal`)
      .type('form')
      .send({ _csrf: csrf, reason: 'Membuka catatan saat ujian' })
      .expect(303);
    await proctorAgent
      .post(`/sesi/${sessionId}/tutup`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    const closed = await proctorAgent.get(`/sesi/${sessionId}`).expect(200);
    expect(closed.text).toContain('Sesi ditutup; berita acara versi 1 dibuat.');
    expect(closed.text).not.toContain('data-test="pin"');
    expect(closed.text).not.toContain('name="correction"');
    await proctorAgent
      .post(`/sesi/${sessionId}/koreksi`)
      .type('form')
      .send({ _csrf: csrf, correction: 'Peserta nomor 1 hadir tepat waktu.' })
      .expect(403);
    const coordinatorConsole = await coordinatorAgent.get(`/sesi/${sessionId}`).expect(200);
    expect(coordinatorConsole.text).toContain('name="correction"');
    await coordinatorAgent
      .post(`/sesi/${sessionId}/koreksi`)
      .type('form')
      .send({ _csrf: csrfOf(coordinatorConsole.text), correction: 'pendek' })
      .expect(303);
    expect((await coordinatorAgent.get(`/sesi/${sessionId}`)).text).toContain(
      'Tuliskan koreksi (10 sampai 2000 huruf)',
    );
    await coordinatorAgent
      .post(`/sesi/${sessionId}/koreksi`)
      .type('form')
      .send({
        _csrf: csrfOf(coordinatorConsole.text),
        correction: 'Peserta nomor 1 hadir tepat waktu.',
      })
      .expect(303);
    const corrected = await coordinatorAgent.get(`/sesi/${sessionId}`).expect(200);
    expect(corrected.text).toContain('Koreksi dicatat sebagai berita acara versi 2.');
    expect(corrected.text).toContain('Berita acara versi 2 (PDF)');
  });
});
