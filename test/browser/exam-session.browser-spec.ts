/// <reference lib="dom" />
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/paths.js';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/people/bootstrap.service.js';
import { bootBrowserWorld, type BrowserWorld } from '../helpers/browser-world.js';
import { pdfText } from '../helpers/pdf.js';

const COORDINATOR = 'koordinator.health@demo.sertifikasi.id';
const PROCTOR_NIP = '198807202014031002'; // dr. Fadli Nasution, an ASN named proctor
const CANDIDATE_NIP = '199003152015032001'; // Nurhayati Harahap
const REASON = 'Listrik padam di ruang ujian';

/** `datetime-local` text in the city's time (WIB, UTC+7), as the session form takes it. */
const wibInput = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 16);

/** Issue 30 in a real browser: schedule, PIN, start, extend, submit, board, close, minutes. */
describe('a supervised exam session in a real browser', () => {
  let world: BrowserWorld;
  let browser: Browser;
  let base: string;
  let login: BrowserWorld['login'];
  let call: BrowserWorld['call'];

  beforeAll(async () => {
    world = await bootBrowserWorld();
    ({ browser, base, login, call } = world);
  });
  afterAll(() => world?.close());

  async function signedIn(username: string, phone = false): Promise<Page> {
    const context = await browser.newContext({
      locale: 'id-ID',
      ...(phone && { viewport: { width: 390, height: 844 } }),
    });
    const page = await context.newPage();
    await page.goto(`${base}/masuk`);
    await page.getByLabel('NIP atau e-mail').fill(username);
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(`${base}/beranda`);
    return page;
  }

  const flash = (page: Page) => page.locator('main .flash').first().textContent();

  /**
   * Through the API, as the health coordinator: a bank of Moodle XML files and a published
   * health exam drawing `sections` of them in order (one attempt, pass mark 50 %).
   */
  async function moodleExam(
    coordinator: string,
    title: string,
    files: string[],
    { sections, ...settings }: { sections: number } & Record<string, unknown>,
  ) {
    const bank = await call(coordinator, 'POST', '/api/v1/question-banks', {
      name: `Bank ${title}`,
      sector: 'health',
    });
    const imports = [];
    for (const file of files)
      imports.push(
        await call(
          coordinator,
          'POST',
          `/api/v1/question-banks/${bank.id}/import?format=moodle-xml`,
          file,
        ),
      );
    const assessment = await call(coordinator, 'POST', '/api/v1/assessments', {
      title,
      sector: 'health',
      passPercent: 50,
      maxAttempts: 1,
      shuffle: false,
      sections: [{ bankId: bank.id, count: sections }],
      ...settings,
    });
    await call(coordinator, 'POST', `/api/v1/assessments/${assessment.id}/publish`);
    return { assessment, imports };
  }

  it('a question imported from Moodle XML shows its image to the candidate in the exam and in review (ADR 0034)', async () => {
    const coordinator = await login(COORDINATOR);
    const moodle = (file: string) =>
      readFileSync(
        join(projectRoot, 'test', 'fixtures', 'moodle-questions', 'moodle-xml', file),
        'utf8',
      );
    const { assessment, imports } = await moodleExam(
      coordinator,
      'Ujian Bergambar',
      [moodle('truefalse.xml'), moodle('multichoice.xml')],
      { timeLimitMinutes: 30, sections: 3, reviewPolicy: 'answers' },
    );
    expect(imports[0]).toEqual(expect.objectContaining({ imported: 2, warnings: [] }));

    const candidate = await signedIn(CANDIDATE_NIP, true);
    await candidate.goto(`${base}/ujian/${assessment.id}`);
    await candidate.getByRole('button', { name: 'Mulai ujian' }).click();
    await candidate.waitForURL(/\/ujian\/percobaan\/[0-9a-f-]{36}$/);
    const logos = candidate.getByRole('img', { name: 'Moodle logo' });
    await expect(logos.count()).resolves.toBe(2);
    const loaded = () =>
      logos.evaluateAll((images) =>
        images.map((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth),
      );
    await candidate.waitForFunction(() =>
      [...document.querySelectorAll('img[alt="Moodle logo"]')].every(
        (i) => (i as HTMLImageElement).complete,
      ),
    );
    await expect(loaded()).resolves.toEqual([48, 48]);
    // Options' images too: each flag inside its option's label, loaded.
    const french = candidate.locator('label.option', { hasText: 'French' });
    await expect(french.getByRole('img', { name: 'French flag' }).count()).resolves.toBe(1);
    const flag = candidate.getByRole('img', { name: 'French flag' });
    await expect(
      flag.evaluate((i) =>
        (i as HTMLImageElement).decode().then(() => (i as HTMLImageElement).naturalWidth),
      ),
    ).resolves.toBeGreaterThan(0);
    await expect(logos.first().getAttribute('src')).resolves.toMatch(
      /^\/api\/v1\/question-files\/[a-f0-9]{64}\.jpg$/,
    );
    await candidate.getByRole('button', { name: 'Selesai' }).click();
    await candidate
      .getByRole('dialog', { name: 'Kumpulkan ujian?' })
      .getByRole('button', { name: 'Kumpulkan' })
      .click();
    await candidate.waitForURL(/\/hasil$/);
    await candidate.waitForFunction(() =>
      [...document.querySelectorAll('img[alt="Moodle logo"]')].every(
        (i) => (i as HTMLImageElement).complete,
      ),
    );
    await expect(loaded()).resolves.toEqual([48, 48]);
    await candidate.context().close();
  });

  it('a coordinator schedules a session on the page; the candidate books a seat; the proctor gives the PIN; the candidate starts with it, gets more time, is paused and resumed, submits; the board shows the score; the minutes name the extension', async () => {
    // The assessment itself through the API: a bank of ten true/false questions, supervised.
    const coordinator = await login(COORDINATOR);
    const bank = await call(coordinator, 'POST', '/api/v1/question-banks', {
      name: 'Bank Ujian Tersupervisi',
      sector: 'health',
    });
    const gift = Array.from(
      { length: 10 },
      (_, i) => `::S${i + 1}:: Pernyataan keselamatan pasien nomor ${i + 1} benar. {T}`,
    ).join('\n\n');
    await call(coordinator, 'POST', `/api/v1/question-banks/${bank.id}/import?format=gift`, gift);
    const assessment = await call(coordinator, 'POST', '/api/v1/assessments', {
      title: 'Ujian Keselamatan Pasien Tersupervisi',
      sector: 'health',
      timeLimitMinutes: 30,
      passPercent: 60,
      maxAttempts: 1,
      shuffle: false,
      sections: [{ bankId: bank.id, count: 10 }],
      reviewPolicy: 'score',
      supervised: true,
    });
    await call(coordinator, 'POST', `/api/v1/assessments/${assessment.id}/publish`);

    // The coordinator schedules the session and assigns the candidate on the pages.
    const coord = await signedIn(COORDINATOR);
    await coord.goto(`${base}/kelola/ujian/${assessment.id}`);
    await expect(coord.getByLabel(/Ujian tersupervisi/).isChecked()).resolves.toBe(true);
    await coord.getByRole('link', { name: 'Sesi ujian' }).click();
    await coord.waitForURL(`${base}/kelola/ujian/${assessment.id}/sesi`);
    const now = Date.now();
    await coord.getByLabel('Mulai (WIB)').fill(wibInput(now - 10 * 60_000));
    await coord.getByLabel('Selesai (WIB)').fill(wibInput(now + 2 * 3_600_000));
    await coord.getByLabel('Tempat').fill('Lab Komputer BKPSDM, Lt. 2');
    await coord.getByLabel('Kapasitas').fill('20');
    // An unknown proctor comes back with the form as typed.
    await coord.getByLabel(/^Pengawas/).fill(`${PROCTOR_NIP}\nbukan.siapa@contoh.id`);
    await coord.getByRole('button', { name: 'Jadwalkan sesi' }).click();
    await expect(coord.getByRole('alert').textContent()).resolves.toContain(
      'bukan.siapa@contoh.id',
    );
    await expect(coord.getByLabel('Tempat').inputValue()).resolves.toBe(
      'Lab Komputer BKPSDM, Lt. 2',
    );
    await coord.getByLabel(/^Pengawas/).fill(PROCTOR_NIP);
    await coord.getByRole('button', { name: 'Jadwalkan sesi' }).click();
    await expect(flash(coord)).resolves.toContain('Sesi dijadwalkan');
    const section = coord.locator('section[data-session]');
    const sessionId = (await section.getAttribute('data-session'))!;
    await section.getByLabel('NIP peserta (satu per baris)').fill(CANDIDATE_NIP);
    await section.getByRole('button', { name: 'Daftarkan peserta' }).click();
    await expect(flash(coord)).resolves.toContain('1 peserta didaftarkan');
    await coord.screenshot({ path: 'test-results/sesi-kelola.png', fullPage: true });
    await coord.context().close();
    // A later session open to booking, with seats left.
    const proctorUser = await call(await login(PROCTOR_NIP), 'GET', '/api/v1/me');
    await call(coordinator, 'POST', `/api/v1/assessments/${assessment.id}/sessions`, {
      startsAt: new Date(now + 86_400_000).toISOString(),
      endsAt: new Date(now + 86_400_000 + 7_200_000).toISOString(),
      location: 'Aula Dinas Kesehatan',
      capacity: 5,
      proctorIds: [proctorUser.id],
      selfBooking: true,
    });

    // The proctor (an ASN) opens the console on a phone and reads the PIN.
    const proctor = await signedIn(PROCTOR_NIP, true);
    await proctor.goto(`${base}/sesi/${sessionId}`);
    // It renews itself every 15 seconds, which the proctor can pause.
    await expect(proctor.locator('[data-refresh]').getAttribute('data-refresh')).resolves.toBe(
      '15',
    );
    await expect(
      proctor.getByRole('button', { name: 'Jeda pembaruan otomatis' }).getAttribute('aria-pressed'),
    ).resolves.toBe('false');
    const pin = (await proctor.locator('[data-test="pin"]').textContent())!.trim();
    expect(pin).toMatch(/^\d{4,}$/);
    await expect(proctor.locator('tr[data-seat="1"]').textContent()).resolves.toContain(
      'Nurhayati Harahap',
    );

    // The candidate sees their session and participant number; a wrong PIN is refused on
    // the page with what was typed; the right one starts the exam.
    const candidate = await signedIn(CANDIDATE_NIP, true);
    await candidate.goto(`${base}/ujian/${assessment.id}`);
    await expect(candidate.getByText('Aula Dinas Kesehatan').textContent()).resolves.toContain(
      'sisa 5 kursi',
    );
    await candidate.getByRole('button', { name: 'Pesan kursi' }).click();
    await expect(flash(candidate)).resolves.toContain('Kursi dipesan: nomor peserta 1');
    await expect(candidate.getByRole('button', { name: 'Pesan kursi' }).count()).resolves.toBe(0);
    const seat = candidate.locator('.session-seat').first();
    await expect(seat.textContent()).resolves.toContain('Lab Komputer BKPSDM, Lt. 2');
    await expect(seat.locator('strong').textContent()).resolves.toBe('1');
    const pinInput = candidate.getByLabel('PIN dari pengawas');
    await expect(pinInput.getAttribute('inputmode')).resolves.toBe('numeric');
    await expect(pinInput.getAttribute('autocomplete')).resolves.toBe('off');
    const wrong = pin === '000000' ? '111111' : '000000';
    await pinInput.fill(wrong);
    await candidate.getByRole('button', { name: 'Mulai ujian' }).click();
    await expect(candidate.getByRole('alert').textContent()).resolves.toContain('PIN salah');
    await expect(candidate.getByLabel('PIN dari pengawas').inputValue()).resolves.toBe(wrong);
    await candidate.screenshot({ path: 'test-results/sesi-mulai.png', fullPage: true });
    await candidate.getByLabel('PIN dari pengawas').fill(pin);
    await candidate.getByRole('button', { name: 'Mulai ujian' }).click();
    await candidate.waitForURL(/\/ujian\/percobaan\/[0-9a-f-]{36}$/);
    const deadlineBefore = Date.parse(
      (await candidate.locator('.exam').getAttribute('data-deadline'))!,
    );

    // The proctor gives ten more minutes, with a reason.
    await proctor.goto(`${base}/sesi/${sessionId}`);
    await expect(proctor.locator('tr[data-seat="1"]').textContent()).resolves.toContain(
      'Mengerjakan',
    );
    const actions = proctor.locator('details[data-actions="1"]');
    await actions.locator('summary').click();
    const extend = actions.locator('form[action$="/tambah-waktu"]');
    await extend.getByLabel('Menit tambahan').fill('10');
    await extend.getByLabel('Alasan').fill(REASON);
    await extend.getByRole('button', { name: 'Tambah waktu' }).click();
    await expect(flash(proctor)).resolves.toContain('Tindakan dicatat');
    await expect(proctor.locator('ul.incidents').textContent()).resolves.toContain(REASON);
    await proctor.screenshot({ path: 'test-results/sesi-konsol.png', fullPage: true });
    // A refused action is a message on the console, not an error page.
    await actions.locator('summary').click();
    await actions.locator('form[action$="/tambah-waktu"]').getByLabel('Menit tambahan').fill('999');
    await actions.locator('form[action$="/tambah-waktu"]').getByLabel('Alasan').fill(REASON);
    await actions.getByRole('button', { name: 'Tambah waktu' }).click();
    await expect(proctor.locator('main .flash-error').textContent()).resolves.toContain(
      'Menit harus 1 sampai 180',
    );

    // The candidate's page shows the later deadline, answers every question and submits.
    await candidate.reload();
    const deadlineAfter = Date.parse(
      (await candidate.locator('.exam').getAttribute('data-deadline'))!,
    );
    expect(deadlineAfter - deadlineBefore).toBe(10 * 60_000);

    // A power cut: the proctor pauses; the candidate's page says so and its clock stands still.
    await actions.locator('summary').click();
    await actions.getByRole('button', { name: 'Jeda' }).click();
    await expect(flash(proctor)).resolves.toContain('Tindakan dicatat: Jeda');
    await candidate.reload();
    await expect(candidate.getByRole('alert').textContent()).resolves.toContain(
      'Ujian dijeda oleh pengawas',
    );
    await expect(candidate.locator('#exam-timer').textContent()).resolves.toBe(
      'Dijeda oleh pengawas',
    );
    await actions.locator('summary').click();
    await actions.getByRole('button', { name: 'Lanjutkan' }).click();
    await expect(flash(proctor)).resolves.toContain('Tindakan dicatat: Lanjutkan');
    await candidate.reload();
    await expect(candidate.locator('[data-test="paused"]').count()).resolves.toBe(0);
    for (let n = 1; n <= 10; n++)
      await candidate
        .locator(`#q${n}`)
        .getByLabel(n <= 8 ? 'Benar' : 'Salah')
        .check();
    await candidate.locator('#exam-status').getByText('Tersimpan').waitFor();
    await candidate.getByRole('button', { name: 'Selesai' }).click();
    await candidate
      .getByRole('dialog', { name: 'Kumpulkan ujian?' })
      .getByRole('button', { name: 'Kumpulkan' })
      .click();
    await candidate.waitForURL(/\/hasil$/);
    await candidate.context().close();

    // The public board, with nobody signed in: the score, no full NIP, no name.
    const anonymous = await browser.newPage({ locale: 'id-ID' });
    const response = await anonymous.goto(`${base}/sessions/${sessionId}/board`);
    expect(response!.status()).toBe(200);
    const html = await anonymous.content();
    expect(html).toContain('<meta http-equiv="refresh" content="10">');
    expect(html).not.toMatch(/\d{18}/);
    expect(html).not.toContain('Nurhayati');
    // One small script: the refresh a viewer can pause (ADR 0032); a <noscript> one without it.
    expect(html.match(/<script[^>]*>/g)).toEqual([
      expect.stringMatching(/^<script src="\/assets\/auto-refresh\.js\?v=[\w-]{12}" defer="">$/),
    ]);
    await anonymous.screenshot({ path: 'test-results/sesi-papan.png', fullPage: true });
    const row = anonymous.locator('table.board-table tbody tr').first();
    await expect(row.textContent()).resolves.toMatch(/80 ?%\s*·\s*Lulus/);
    await expect(row.textContent()).resolves.toContain('Selesai');
    await anonymous.close();

    // The proctor closes the session; the minutes' PDF, fetched with the page's cookie,
    // has the SHA-256 the console shows and names the extension with its reason.
    await proctor.goto(`${base}/sesi/${sessionId}`);
    await proctor.getByRole('button', { name: 'Tutup sesi dan buat berita acara' }).click();
    await expect(flash(proctor)).resolves.toContain('Sesi ditutup; berita acara versi 1');
    await expect(proctor.locator('[data-test="pin"]').count()).resolves.toBe(0);
    const link = proctor.getByRole('link', { name: 'Berita acara versi 1 (PDF)' });
    const href = (await link.getAttribute('href'))!;
    const shown = (await proctor.locator('code.hash').first().textContent())!.trim();
    const pdf = await proctor.context().request.get(base + href);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    const bytes = await pdf.body();
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(shown);
    // A long line wraps: its pieces join with the space the wrap took.
    const text = pdfText(bytes).replace(/\s+/g, ' ');
    expect(text).toContain('Tambah waktu (10 menit)');
    expect(text).toContain(`alasan: ${REASON}`);
    expect(text).not.toMatch(/\d{18}/);
    await proctor.context().close();
  });

  it('a candidate on a phone fills the blanks of a cloze question inline, without JavaScript (a form post) and with it (saved on change), and reads each blank right or wrong', async () => {
    const coordinator = await login(COORDINATOR);
    const xml =
      '<quiz><question type="cloze"><name><text>Puskesmas</text></name><questiontext format="html"><text>' +
      'Puskesmas adalah singkatan dari pusat {2:SHORTANSWER:=kesehatan} masyarakat, dipimpin oleh ' +
      '{1:MULTICHOICE:=kepala puskesmas~bupati~camat}; cuci tangan ada {1:NUMERICAL:=5} momen.' +
      '</text></questiontext></question></quiz>';
    const { assessment } = await moodleExam(coordinator, 'Ujian Isian Rumpang', [xml], {
      sections: 1,
      reviewPolicy: 'feedback',
    });

    const context = await browser.newContext({
      locale: 'id-ID',
      javaScriptEnabled: false,
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    await page.goto(`${base}/masuk`);
    await page.getByLabel('NIP atau e-mail').fill(CANDIDATE_NIP);
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(`${base}/beranda`);
    await page.goto(`${base}/ujian/${assessment.id}`);
    await page.getByRole('button', { name: 'Mulai ujian' }).click();
    await page.waitForURL(/\/ujian\/percobaan\/[0-9a-f-]{36}$/);
    // The blanks stand inside the sentence, each named for a screen reader.
    const cloze = page.locator('#q1 .cloze');
    await expect(cloze.textContent()).resolves.toContain('Puskesmas adalah singkatan dari pusat');
    await expect(cloze.locator('.cloze-blank').count()).resolves.toBe(3);
    await page.getByLabel('Isian 1').fill('Kesehatan');
    await page.getByLabel('Isian 2').selectOption({ label: 'kepala puskesmas' });
    await page.getByLabel('Isian 3').fill('4');
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .map((el) => `${el.tagName}.${el.className}`),
    );
    expect(wide).toEqual([]);
    await page.screenshot({ path: 'test-results/cloze-isian.png', fullPage: true });
    // A plain form post saves the blanks; they come back filled.
    await page.getByRole('button', { name: 'Simpan jawaban' }).click();
    await expect(page.getByLabel('Isian 1').inputValue()).resolves.toBe('Kesehatan');
    await expect(page.getByLabel('Isian 3').inputValue()).resolves.toBe('4');

    // With JavaScript, a change saves itself (a drop-down here) and survives a reload.
    const scripted = await browser.newContext({ locale: 'id-ID' });
    await scripted.addCookies(await context.cookies());
    const live = await scripted.newPage();
    await live.goto(page.url());
    await expect(live.getByLabel('Isian 1').inputValue()).resolves.toBe('Kesehatan');
    await live.getByLabel('Isian 2').selectOption({ label: 'camat' });
    await live.getByLabel('Isian 1').fill('kesehatan');
    await live.locator('#exam-status').getByText('Tersimpan').waitFor();
    await live.waitForTimeout(1200);
    await live.locator('#exam-status').getByText('Tersimpan').waitFor();
    await live.reload();
    await expect(
      live.getByLabel('Isian 2').evaluate((s: HTMLSelectElement) => s.selectedOptions[0].text),
    ).resolves.toBe('camat');
    await expect(live.getByLabel('Isian 1').inputValue()).resolves.toBe('kesehatan');
    await scripted.close();
    await page.reload();
    await page.getByRole('button', { name: 'Selesai' }).click();
    await page.getByRole('button', { name: 'Kumpulkan' }).click();
    await page.waitForURL(/\/hasil$/);
    const results = await page.locator('[data-test="blank-results"] li').allTextContents();
    expect(results.map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
      'Isian 1: Benar',
      'Isian 2: Belum tepat',
      'Isian 3: Belum tepat',
    ]);
    await page.screenshot({ path: 'test-results/cloze-hasil.png', fullPage: true });
    await context.close();
  });
});
