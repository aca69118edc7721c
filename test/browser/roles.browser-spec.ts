/// <reference lib="dom" />
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { DEMO_PASSWORD } from '../../src/people/bootstrap.service.js';
import { passTime } from '../helpers/study.js';
import { bootBrowserWorld, type BrowserWorld } from '../helpers/browser-world.js';

/** Main journeys of each role in Debian's Chromium, against the app with its demo data. */
describe('web shell in a real browser', () => {
  let world: BrowserWorld;
  let app: NestFastifyApplication;
  let browser: Browser;
  let base: string;
  let login: BrowserWorld['login'];
  let call: BrowserWorld['call'];

  beforeAll(async () => {
    world = await bootBrowserWorld();
    ({ app, browser, base, login, call } = world);
  });
  afterAll(() => world?.close());

  async function logIn(page: Page, username: string) {
    await page.goto(`${base}/masuk`);
    await page.getByLabel('NIP atau e-mail').fill(username);
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(`${base}/beranda`);
  }

  const journeys = [
    {
      role: 'admin',
      username: 'admin@demo.sertifikasi.id',
      sees: ['Pengguna', 'Unit Kerja', 'Impor Pengguna', 'Log Audit'],
      english: 'Users',
    },
    {
      role: 'coordinator',
      username: 'koordinator.health@demo.sertifikasi.id',
      sees: ['Beranda', 'Profil'],
      english: 'Profile',
    },
    {
      role: 'asn',
      username: '199003152015032001',
      sees: ['Beranda', 'Profil'],
      english: 'Profile',
    },
  ];

  for (const journey of journeys) {
    it(`${journey.role}: logs in, sees their navigation, changes language, logs out`, async () => {
      const context = await browser.newContext({ locale: 'id-ID' });
      const page = await context.newPage();
      await logIn(page, journey.username);
      const nav = page.getByRole('navigation', { name: 'Menu utama' });
      for (const item of journey.sees)
        await expect(nav.getByRole('link', { name: item, exact: true }).count()).resolves.toBe(1);
      if (journey.role !== 'admin')
        await expect(nav.getByRole('link', { name: 'Pengguna' }).count()).resolves.toBe(0);

      await page.getByRole('button', { name: 'English' }).click();
      await page.waitForLoadState('domcontentloaded');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      await expect(
        page
          .getByRole('navigation', { name: 'Main menu' })
          .getByRole('link', { name: journey.english, exact: true })
          .count(),
      ).resolves.toBe(1);

      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL(`${base}/masuk`);
      await expect(page.getByRole('status').textContent()).resolves.toContain(
        'You have logged out',
      );
      await page.goto(`${base}/beranda`);
      expect(page.url()).toContain('/masuk?next=');
      await context.close();
    });
  }

  it('refuses a form posted without its CSRF token', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    await logIn(page, 'admin@demo.sertifikasi.id');
    await page.goto(`${base}/admin/unit-kerja`);
    await page.getByLabel('Kode').fill('UJI');
    await page.getByLabel('Nama', { exact: true }).fill('Unit Uji');
    await page.evaluate(() =>
      document.querySelectorAll('main form input[name="_csrf"]').forEach((input) => input.remove()),
    );
    const [response] = await Promise.all([
      page.waitForResponse(
        (r) => r.url().endsWith('/admin/unit-kerja') && r.request().method() === 'POST',
      ),
      page.getByRole('button', { name: 'Tambah unit kerja' }).click(),
    ]);
    expect(response.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Akses ditolak',
    );
    await page.goto(`${base}/admin/unit-kerja`);
    await expect(page.getByText('Unit Uji').count()).resolves.toBe(0);
    await context.close();
  });

  it('admin creates a user on the page; the keyboard reaches the login form fields in order', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    await logIn(page, 'admin@demo.sertifikasi.id');
    await page.goto(`${base}/admin/pengguna/baru`);
    await page.getByLabel('NIP', { exact: true }).fill('199501012020011001');
    await page.getByLabel('Nama', { exact: true }).fill('Budi Santoso Siregar');
    await page.getByLabel('Unit kerja').selectOption('DINKES');
    await page.getByRole('button', { name: 'Buat pengguna' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/Kata sandi sementara/);
    await page.goto(`${base}/admin/pengguna?search=budi`);
    await expect(page.getByRole('link', { name: 'Budi Santoso Siregar' }).count()).resolves.toBe(1);

    const anonymous = await browser.newPage({ locale: 'id-ID' });
    await anonymous.goto(`${base}/masuk`);
    await anonymous.keyboard.press('Tab');
    expect(await anonymous.evaluate(() => document.activeElement?.textContent)).toBe(
      'Lewati ke konten',
    );
    await anonymous.focus('#username');
    await anonymous.keyboard.press('Tab');
    expect(await anonymous.evaluate(() => document.activeElement?.id)).toBe('password');
    await anonymous.close();
    await context.close();
  });

  it('an ASN opens Kompetensi Saya and sees the chart and the gaps', async () => {
    const context = await browser.newContext({
      locale: 'id-ID',
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    await logIn(page, '199003152015032001');
    await page
      .getByRole('navigation', { name: 'Menu utama' })
      .getByRole('link', { name: 'Kompetensi Saya' })
      .click();
    await page.waitForURL(`${base}/kompetensi`);
    await expect(
      page.getByRole('img', { name: 'Level dibutuhkan dan dicapai per kompetensi' }).count(),
    ).resolves.toBe(1);
    await expect(page.getByRole('status').textContent()).resolves.toContain(
      '2 dari 5 kompetensi terpenuhi',
    );
    await expect(page.getByRole('heading', { name: /Perekat Bangsa/ }).count()).resolves.toBe(1);
    await page.screenshot({ path: 'test-results/kompetensi-saya.png', fullPage: true });
    await context.close();
  });

  it('an admin edits a position standard on the page', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    await logIn(page, 'admin@demo.sertifikasi.id');
    await page.goto(`${base}/admin/jabatan`);
    await page.getByRole('link', { name: 'DIK-GURU-AP', exact: true }).click();
    await page.getByLabel('Kompetensi 4', { exact: true }).selectOption('M.8');
    await page.getByLabel('Level 4', { exact: true }).selectOption('2');
    await page.getByRole('button', { name: 'Simpan standar' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain(
      'Standar kompetensi disimpan',
    );
    const chosen = await page
      .locator('select[name="competency"]')
      .evaluateAll((selects) => selects.map((s) => (s as HTMLSelectElement).value).filter(Boolean));
    expect(chosen).toEqual(['M.1', 'M.3', 'M.6', 'M.8', 'SK.1']);
    await context.close();
  });

  it('a coordinator authors and publishes a course; the ASN finds it as closing a gap, completes it and sees the JP', async () => {
    const coordinatorContext = await browser.newContext({ locale: 'id-ID' });
    const coordinator = await coordinatorContext.newPage();
    await logIn(coordinator, 'koordinator.health@demo.sertifikasi.id');
    await coordinator
      .getByRole('navigation', { name: 'Menu utama' })
      .getByRole('link', { name: 'Kelola Pelatihan' })
      .click();
    await coordinator.getByLabel('Kode', { exact: true }).fill('KES-PL-01');
    await coordinator.getByLabel('Judul', { exact: true }).fill('Pelayanan Prima di Puskesmas');
    await coordinator
      .getByLabel('Ringkasan')
      .fill('Standar pelayanan dan penanganan keluhan pasien.');
    await coordinator.getByLabel('Kompetensi dan level (mis. M.5:3, satu per baris)').fill('M.5:3');
    await coordinator.getByLabel('JP', { exact: true }).fill('2');
    await coordinator.getByRole('button', { name: 'Pelatihan baru' }).click();
    await coordinator.waitForURL(/\/kelola\/pelatihan\/[0-9a-f-]{36}$/);
    await coordinator.getByLabel('Judul', { exact: true }).last().fill('Standar pelayanan');
    await coordinator
      .getByLabel('Isi (Markdown)')
      .fill(
        '# Standar pelayanan\n\nSapa pasien, **dengarkan** keluhannya, dan catat di buku register.\n\n| Langkah | Waktu |\n|---|---|\n| Sapa | 1 menit |',
      );
    await coordinator.getByRole('button', { name: 'Pratinjau' }).click();
    await expect(coordinator.getByLabel('Pratinjau').locator('strong').textContent()).resolves.toBe(
      'dengarkan',
    );
    await coordinator.getByRole('button', { name: 'Tambah pelajaran' }).click();
    await coordinator.getByRole('button', { name: 'Terbitkan' }).click();
    await expect(coordinator.getByRole('status').first().textContent()).resolves.toContain(
      'Pelatihan diterbitkan',
    );
    await coordinatorContext.close();

    const context = await browser.newContext({
      locale: 'id-ID',
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    await logIn(page, '199003152015032001');
    await page
      .getByRole('navigation', { name: 'Menu utama' })
      .getByRole('link', { name: 'Pelatihan', exact: true })
      .click();
    const card = page.locator('.card', { hasText: 'Pelayanan Prima di Puskesmas' });
    await expect(card.locator('.badge').textContent()).resolves.toBe('Menutup kesenjangan Anda');
    await card.getByRole('link', { name: 'Pelayanan Prima di Puskesmas' }).click();
    await page.getByRole('button', { name: 'Ikuti pelatihan' }).click();
    await page.getByRole('link', { name: 'Mulai belajar' }).click();
    await page.waitForURL(/pelajaran/);

    // Weigh the lesson page as a fresh visit would load it: the HTML and the stylesheet.
    const lessonUrl = page.url();
    const fresh = await browser.newContext({ locale: 'id-ID' });
    const probe = await fresh.newPage();
    await probe.context().addCookies(await context.cookies());
    let bytes = 0;
    probe.on('response', async (response) => {
      bytes += (await response.body().catch(() => Buffer.alloc(0))).length;
    });
    await probe.goto(lessonUrl, { waitUntil: 'networkidle' });
    await fresh.close();
    console.log(`Markdown lesson page transfer: ${bytes} bytes`);
    expect(bytes).toBeLessThan(40_000);

    await expect(
      page.getByRole('heading', { name: 'Standar pelayanan', level: 1 }).count(),
    ).resolves.toBe(1);
    // Just opened: the page says how long remains instead of a button the server would refuse.
    await expect(page.locator('#study-wait').textContent()).resolves.toMatch(
      /Tombol "Tandai selesai" muncul dalam 7 menit \d+ detik/,
    );
    await expect(page.getByRole('button', { name: 'Tandai selesai' }).isVisible()).resolves.toBe(
      false,
    );
    // The learner reads for the minimum (half of the lesson's 15 minutes) and reloads.
    passTime(app, 7.5 * 60);
    await page.reload();
    await page.getByRole('button', { name: 'Tandai selesai' }).click();
    await page.waitForURL(/\/pelatihan\/[^/]+$/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(
      'JP telah dicatat',
    );
    await page.goto(`${base}/pembelajaran`);
    await expect(page.getByText(/JP tahun \d{4}: 2 dari target 20 JP/).count()).resolves.toBe(1);
    await context.close();
  });

  it('a coordinator imports GIFT on the page, sees the broken question by its line, applies it, edits a question with the live preview and previews it', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    await logIn(page, 'koordinator.health@demo.sertifikasi.id');
    await page
      .getByRole('navigation', { name: 'Menu utama' })
      .getByRole('link', { name: 'Bank Soal' })
      .click();
    await page.getByLabel('Nama bank').fill('PPI Puskesmas');
    await page.getByRole('button', { name: 'Bank soal baru' }).click();
    await page.waitForURL(/\/kelola\/bank-soal\/[0-9a-f-]{36}$/);

    const gift = {
      name: 'ppi.gift.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(
        [
          '$CATEGORY: PPI/Kebersihan tangan',
          '',
          '::Momen:: Berapa momen kebersihan tangan menurut WHO? {',
          '  =Lima#Sebelum dan sesudah kontak pasien, sebelum tindakan aseptik, setelah cairan tubuh, setelah menyentuh lingkungan',
          '  ~Tiga',
          '  ~Tujuh',
          '}',
          '',
          '::Rusak:: Soal tanpa penutup {=a ~b',
          '',
          '::Handrub:: Durasi menggosok tangan dengan handrub (detik)? {#20..30}',
        ].join('\n'),
      ),
    };
    await page.getByLabel('Berkas').setInputFiles(gift);
    await page.getByRole('button', { name: 'Pratinjau impor (GIFT)' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(
      '2 soal akan diimpor.',
    );
    const broken = page.getByRole('table', { name: 'Dilewati' }).locator('tbody tr');
    await expect(broken.count()).resolves.toBe(1);
    // Its line in the file and its name.
    await expect(broken.locator('td').first().textContent()).resolves.toBe('9 · Rusak');
    await page.getByLabel('Berkas').setInputFiles(gift);
    await page.getByRole('button', { name: 'Impor sekarang (GIFT)' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(
      '2 soal diimpor.',
    );

    await page.goto(page.url().split('/impor')[0]);
    await page.getByRole('link', { name: 'Momen' }).click();
    await page.getByRole('link', { name: 'Ubah soal' }).click();
    const preview = page.locator('#question-preview');
    await page.getByLabel('Pilihan 3', { exact: true }).fill('Delapan');
    // The live preview follows the typing without a save or a reload.
    await preview.getByText('Delapan').waitFor();
    await expect(preview.getByRole('radio').count()).resolves.toBe(3);
    await page.getByRole('button', { name: 'Simpan' }).click();
    await page.waitForURL(/\/soal\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(
      'Soal disimpan',
    );
    const candidate = page.getByRole('group', { name: 'Tampilan bagi peserta' });
    await expect(candidate.getByRole('radio', { name: 'Delapan' }).count()).resolves.toBe(1);
    await expect(candidate.textContent()).resolves.not.toContain('Sebelum dan sesudah');
    await page.screenshot({ path: 'test-results/bank-soal-pratinjau.png', fullPage: true });
    await context.close();
  });

  it('an ASN sits an exam on the page: answers made offline reach the server when it returns, a reload keeps them, an answer refused with 429 goes after Retry-After, submit shows the result', async () => {
    const coordinator = await login('koordinator.health@demo.sertifikasi.id');
    const bank = await call(coordinator, 'POST', '/api/v1/question-banks', {
      name: 'Ujian APD',
      sector: 'health',
    });
    // 20 questions: the first is numeric, the rest true/false about PPI practice.
    const gift = [
      '::Q01:: Berapa detik minimal mencuci tangan dengan sabun? {#40:0}',
      ...Array.from(
        { length: 19 },
        (_, i) => `::Q${String(i + 2).padStart(2, '0')}:: Pernyataan PPI nomor ${i + 2} benar. {T}`,
      ),
    ].join('\n\n');
    await call(coordinator, 'POST', `/api/v1/question-banks/${bank.id}/import?format=gift`, gift);
    const assessment = await call(coordinator, 'POST', '/api/v1/assessments', {
      title: 'Ujian APD dan PPI',
      sector: 'health',
      timeLimitMinutes: 30,
      passPercent: 10,
      maxAttempts: 1,
      shuffle: false,
      sections: [{ bankId: bank.id, count: 20 }],
      reviewPolicy: 'correctness',
    });
    await call(coordinator, 'POST', `/api/v1/assessments/${assessment.id}/publish`);

    const context = await browser.newContext({
      locale: 'id-ID',
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    await logIn(page, '199003152015032001');
    await page
      .getByRole('navigation', { name: 'Menu utama' })
      .getByRole('link', { name: 'Ujian' })
      .click();
    await page.getByRole('link', { name: 'Ujian APD dan PPI' }).click();
    await page.getByRole('button', { name: 'Mulai ujian' }).click();
    await page.waitForURL(/\/ujian\/percobaan\/[0-9a-f-]{36}$/);
    const examUrl = page.url();
    const attemptId = examUrl.split('/').pop()!;

    // Weigh the exam page as a fresh visit loads it: HTML, stylesheet and script, nothing else.
    const fresh = await browser.newContext({ locale: 'id-ID' });
    const probe = await fresh.newPage();
    await probe.context().addCookies(await context.cookies());
    let bytes = 0;
    const hosts = new Set<string>();
    probe.on('response', async (response) => {
      hosts.add(new URL(response.url()).host);
      bytes += (await response.body().catch(() => Buffer.alloc(0))).length;
    });
    await probe.goto(examUrl, { waitUntil: 'networkidle' });
    await fresh.close();
    console.log(`20-question exam page transfer: ${bytes} bytes`);
    expect(bytes).toBeLessThan(50_000);
    expect([...hosts]).toEqual([new URL(base).host]);

    const status = page.locator('#exam-status');
    const q = (n: number) => page.locator(`#q${n}`);
    await q(1).getByLabel('Jawaban Anda').fill('40');
    await q(2).getByLabel('Benar').check();
    await status.getByText('Tersimpan').waitFor();
    await expect(page.locator('[data-nav="2"]').getAttribute('class')).resolves.toContain(
      'answered',
    );

    await context.setOffline(true);
    await q(3).getByLabel('Benar').check();
    await q(4).getByLabel('Salah').check();
    await q(4).getByLabel('Tandai untuk ditinjau').check();
    await status.getByText('Koneksi terputus').waitFor();
    const stored = async () =>
      (
        await app
          .get(DataSource)
          .query(
            'SELECT slot, response, flagged FROM attempt_items WHERE attemptId = ? ORDER BY slot',
            [attemptId],
          )
      ).filter((r: { response: string | null }) => r.response !== null);
    expect((await stored()).map((r: { slot: number }) => r.slot)).toEqual([1, 2]);

    // A reload before anything could be resent (the answer route still failing) keeps the
    // offline answers on the device; when the route works again they reach the server.
    await page.route('**/jawaban/**', (route) => route.abort('internetdisconnected'));
    await context.setOffline(false);
    await page.reload();
    await expect(q(3).getByLabel('Benar').isChecked()).resolves.toBe(true);
    await expect(q(4).getByLabel('Salah').isChecked()).resolves.toBe(true);
    await expect(q(4).getByLabel('Tandai untuk ditinjau').isChecked()).resolves.toBe(true);
    expect((await stored()).map((r: { slot: number }) => r.slot)).toEqual([1, 2]);
    await page.unroute('**/jawaban/**');
    await status.getByText('Tersimpan').waitFor();
    const saved = await stored();
    expect(saved.map((r: { slot: number }) => r.slot)).toEqual([1, 2, 3, 4]);
    expect(saved.map((r: { response: string }) => JSON.parse(r.response))).toEqual([
      40,
      true,
      true,
      false,
    ]);
    expect(Boolean(saved[3].flagged)).toBe(true);

    // Too many saves in a minute: the server answers 429 with Retry-After; the answer stays
    // queued on the page and goes once that time has passed.
    let tries = 0;
    await page.route('**/jawaban/**', (route) =>
      tries++ === 0
        ? route.fulfill({
            status: 429,
            headers: { 'retry-after': '1', 'content-type': 'application/json' },
            body: JSON.stringify({ statusCode: 429, error: 'Too Many Requests', message: '' }),
          })
        : route.continue(),
    );
    await q(5).getByLabel('Benar').check();
    for (let i = 0; i < 100 && !(await stored()).some((r: { slot: number }) => r.slot === 5); i++)
      await page.waitForTimeout(100);
    expect((await stored()).map((r: { slot: number }) => r.slot)).toEqual([1, 2, 3, 4, 5]);
    expect(tries).toBeGreaterThanOrEqual(2);
    await page.unroute('**/jawaban/**');

    await page.getByRole('button', { name: 'Selesai' }).click();
    const dialog = page.getByRole('dialog', { name: 'Kumpulkan ujian?' });
    await expect(dialog.textContent()).resolves.toContain('Belum dijawab: soal 6, 7');
    await dialog.getByRole('button', { name: 'Kumpulkan' }).click();
    await page.waitForURL(/\/hasil$/);
    await expect(page.getByRole('status').last().textContent()).resolves.toContain(
      'Skor 4 dari 20 (20 %)',
    );
    await expect(page.getByText('Lulus', { exact: true }).count()).resolves.toBe(1);
    await page.screenshot({ path: 'test-results/ujian-hasil.png', fullPage: true });
    await context.close();
  });

  it('the ASN downloads the certificate PDF and opens the verify page from the QR URL; the admin revokes it on the page', async () => {
    const coordinator = await login('koordinator.health@demo.sertifikasi.id');
    const bank = await call(coordinator, 'POST', '/api/v1/question-banks', {
      name: 'Bank Sertifikasi Browser',
      sector: 'health',
    });
    await call(
      coordinator,
      'POST',
      `/api/v1/question-banks/${bank.id}/import?format=gift`,
      '::K1:: Hand hygiene dilakukan pada lima momen. {T}',
    );
    const assessment = await call(coordinator, 'POST', '/api/v1/assessments', {
      title: 'Ujian Sertifikasi Kebersihan Tangan',
      sector: 'health',
      passPercent: 100,
      sections: [{ bankId: bank.id, count: 1 }],
    });
    await call(coordinator, 'POST', `/api/v1/assessments/${assessment.id}/publish`);
    // The scheme attests a national competency: the admin's to set (ADR 0012).
    const schemeAdmin = await login('admin@demo.sertifikasi.id');
    const created = await call(schemeAdmin, 'POST', '/api/v1/certification-schemes', {
      sector: 'health',
      code: 'KEBERSIHAN-TANGAN',
      title: 'Kebersihan Tangan di Fasilitas Kesehatan',
      requirements: { assessments: [{ assessmentId: assessment.id, minPercent: 100 }] },
      attests: [{ competencyCode: 'M.1', level: 2 }],
      validityMonths: 24,
    });
    // A new scheme is a draft until activated on its preview (ADR 0017).
    const preview = await call(
      schemeAdmin,
      'GET',
      `/api/v1/certification-schemes/${created.id}/activation-preview`,
    );
    await call(schemeAdmin, 'POST', `/api/v1/certification-schemes/${created.id}/activate`, {
      confirm: preview.count,
    });
    const asn = await login('199003152015032001');
    const attempt = await call(asn, 'POST', `/api/v1/assessments/${assessment.id}/attempts`);
    await call(asn, 'PUT', `/api/v1/attempts/${attempt.id}/answers/1`, { response: true });
    await call(asn, 'POST', `/api/v1/attempts/${attempt.id}/submit`);

    const context = await browser.newContext({ locale: 'id-ID', acceptDownloads: true });
    const page = await context.newPage();
    await logIn(page, '199003152015032001');
    await page
      .getByRole('navigation', { name: 'Menu utama' })
      .getByRole('link', { name: 'Sertifikat Saya' })
      .click();
    const card = page.locator('.cert-card', {
      hasText: 'Kebersihan Tangan di Fasilitas Kesehatan',
    });
    const number = (await card.locator('strong').first().textContent())!;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('link', { name: 'PDF' }).click(),
    ]);
    const chunks: Buffer[] = [];
    for await (const chunk of (await download.createReadStream())!) chunks.push(chunk as Buffer);
    const pdf = Buffer.concat(chunks);
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    expect(download.suggestedFilename()).toMatch(/^sertifikat-[A-Z2-7]{16}\.pdf$/);

    // The certificate page carries the QR code and, under it, the URL it encodes.
    await card.getByRole('link', { name: 'Lihat' }).click();
    await expect(page.locator('.qr svg').count()).resolves.toBe(1);
    const verifyUrl = (await page.locator('.qr a').getAttribute('href'))!;
    expect(verifyUrl.startsWith(`${base}/verify/`)).toBe(true);
    await page.screenshot({ path: 'test-results/sertifikat.png', fullPage: true });
    const visitor = await browser.newContext({ locale: 'id-ID' });
    const check = await visitor.newPage();
    await check.goto(verifyUrl);
    await check.getByText('Sertifikat sah dan berlaku').waitFor();
    await expect(check.getByText(number).count()).resolves.toBe(1);
    await context.close();

    const adminContext = await browser.newContext({ locale: 'id-ID' });
    const admin = await adminContext.newPage();
    await logIn(admin, 'admin@demo.sertifikasi.id');
    await admin.goto(`${base}/admin/sertifikat`);
    await admin.getByLabel('Nomor, NIP atau nama').fill(number);
    await admin.getByRole('button', { name: 'Saring' }).click();
    await admin.waitForURL(/q=/);
    // Cabut opens a page of its own that asks for the reason (issue 22).
    await admin.getByRole('link', { name: 'Cabut' }).click();
    await admin.getByLabel('Alasan pencabutan').fill('Peserta tidak hadir pada uji ulang');
    await admin.getByRole('button', { name: 'Ya, cabut sertifikat ini' }).click();
    await admin.getByText('Sertifikat dicabut.').waitFor();
    await adminContext.close();

    await check.reload();
    await check.getByText('Sertifikat telah DICABUT').waitFor();
    await visitor.close();
  });
  it('each role opens its dashboard and sees the charts drawn', async () => {
    const context = await browser.newContext({
      locale: 'id-ID',
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    const year = new Date().getUTCFullYear();
    const chartsDrawn = async () => {
      const charts = page.locator('svg[role="img"]');
      const count = await charts.count();
      expect(count).toBeGreaterThan(0);
      for (let i = 0; i < count; i++) {
        const chart = charts.nth(i);
        const box = await chart.boundingBox();
        expect(box!.width).toBeGreaterThan(100); // drawn, and fits a phone screen
        // The heatmap keeps its labels legible at its drawn size: its box scrolls instead.
        const scroller = chart.locator('xpath=ancestor::figure[contains(@class,"chart-scroll")]');
        const fitted = (await scroller.count()) ? await scroller.boundingBox() : box;
        expect(fitted!.width).toBeLessThanOrEqual(390);
      }
      return count;
    };

    await logIn(page, 'admin@demo.sertifikasi.id');
    await expect(
      page.getByRole('heading', { name: `Kepatuhan 20 JP per unit kerja, ${year}` }).count(),
    ).resolves.toBe(1);
    await expect(
      page.getByRole('img', { name: /Persen ASN dengan sedikitnya 20 JP/ }).count(),
    ).resolves.toBe(1);
    expect(await chartsDrawn()).toBeGreaterThanOrEqual(3);
    await page.getByLabel('Sektor', { exact: true }).selectOption('health');
    await page.getByRole('button', { name: 'Terapkan' }).click();
    await page.waitForURL(/sector=health/);
    await page.screenshot({ path: 'test-results/beranda-admin.png', fullPage: true });
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.waitForURL(`${base}/masuk`);

    await logIn(page, 'koordinator.health@demo.sertifikasi.id');
    await expect(
      page.getByRole('heading', { name: `Ujian: kelulusan dan sebaran nilai, ${year}` }).count(),
    ).resolves.toBe(1);
    await chartsDrawn();
    await page.screenshot({ path: 'test-results/beranda-koordinator.png', fullPage: true });
    // The exams sat earlier in this file have graded attempts: their analysis is one click away.
    await page.locator('table a[href^="/laporan/ujian/"]').first().click();
    await page.waitForURL(/\/laporan\/ujian\//);
    await expect(page.getByRole('columnheader', { name: 'Daya beda' }).count()).resolves.toBe(1);
    await page.screenshot({ path: 'test-results/analisis-butir.png', fullPage: true });
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.waitForURL(`${base}/masuk`);

    await logIn(page, '199003152015032001');
    await expect(page.getByRole('img', { name: `JP tahun ${year}` }).count()).resolves.toBe(1);
    await expect(page.getByRole('heading', { name: 'Kesenjangan terbesar' }).count()).resolves.toBe(
      1,
    );
    await chartsDrawn();
    await page.screenshot({ path: 'test-results/beranda-asn.png', fullPage: true });
    await context.close();
  });
});
