/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/people/bootstrap.service.js';
import {
  bootBrowserWorld,
  DESKTOP,
  PHONE,
  screenshot,
  type BrowserWorld,
} from '../helpers/browser-world.js';
import { passTime } from '../helpers/study.js';

const ADMIN = 'admin@demo.sertifikasi.id';
const COORDINATOR = 'koordinator.health@demo.sertifikasi.id';
const LEARNER = '199003152015032001'; // Nurhayati Harahap, a demo ASN of the health sector

const COMPETENCY = 'KES.CTL22';
const COURSE = 'Cuci Tangan Lima Momen';
const LESSON_ONE = 'Mengapa cuci tangan';
const LESSON_TWO = 'Lima momen WHO';
const EXAM = 'Ujian Cuci Tangan Lima Momen';
const SCHEME = 'Sertifikasi Kebersihan Tangan';

const GIFT = [
  '::PG:: Berapa momen kebersihan tangan menurut WHO? {=Lima ~Tiga ~Tujuh}',
  '::BS:: Handrub berbasis alkohol boleh dipakai pada tangan yang tampak kotor. {FALSE}',
  '::URAIAN:: Jelaskan kapan Anda mencuci tangan saat merawat pasien. {}',
].join('\n\n');

/**
 * Issue 22, the learner's journey as a demo ASN: enrol, study with a lesson left unfinished,
 * come back where they left off, finish, see what comes next, read what the exam holds, sit it
 * until the time runs out (warned before), and read the right answers the policy allows.
 */
describe('the learner journey: enrol, study, exam, certificate, share, verification by number', () => {
  let world: BrowserWorld;
  let browser: Browser;
  let base: string;
  let courseId: string;
  let examId: string;

  beforeAll(async () => {
    world = await bootBrowserWorld();
    ({ browser, base } = world);
    const { call, login } = world;
    const coordinator = await login(COORDINATOR);
    const admin = await login(ADMIN);
    // A competency the learner's position requires and lacks (the browser world installs no
    // sector packs): the course develops it, so the dashboard recommends the course until done.
    await call(admin, 'POST', '/api/v1/competencies', {
      code: COMPETENCY,
      title: 'Kebersihan tangan',
      description: 'Menerapkan lima momen kebersihan tangan dalam pelayanan.',
      type: 'teknis',
      sector: 'health',
      levels: [1, 2, 3, 4, 5].map((level) => ({
        level,
        description: `Tingkat ${level}`,
        indicators: [`Indikator tingkat ${level}`],
      })),
    });
    const position = await call(admin, 'POST', '/api/v1/positions', {
      code: 'KES-CTL-POS',
      name: 'Perawat pelaksana (uji kebersihan tangan)',
      kind: 'fungsional',
      sector: 'health',
    });
    await call(admin, 'PUT', `/api/v1/positions/${position.id}/standard`, {
      items: [{ competencyCode: COMPETENCY, level: 2 }],
    });
    const learner = await call(await login(LEARNER), 'GET', '/api/v1/me');
    await call(admin, 'PATCH', `/api/v1/users/${learner.id}`, { positionCode: 'KES-CTL-POS' });

    // A two-lesson course without a study wait (the wait has its own tests).
    courseId = (
      await call(coordinator, 'POST', '/api/v1/courses', {
        sector: 'health',
        code: 'KES-CTL-22',
        title: COURSE,
        summary: 'Lima momen kebersihan tangan di fasilitas kesehatan.',
        competencies: [{ code: COMPETENCY, level: 2 }],
        jp: 2,
        minStudyPercent: 0,
      })
    ).id;
    for (const [title, body] of [
      [LESSON_ONE, 'Tangan petugas adalah jalur utama penularan infeksi.'],
      [LESSON_TWO, 'Sebelum kontak pasien, sebelum tindakan aseptik, setelah cairan tubuh…'],
    ])
      await call(coordinator, 'POST', `/api/v1/courses/${courseId}/lessons`, {
        title,
        kind: 'markdown',
        body,
        durationMinutes: 5,
      });
    await call(coordinator, 'POST', `/api/v1/courses/${courseId}/publish`);

    // Its exam: three questions (one an essay), two minutes, right answers shown after.
    const bankId = (
      await call(coordinator, 'POST', '/api/v1/question-banks', {
        name: 'Bank cuci tangan (issue 22)',
        sector: 'health',
      })
    ).id;
    await call(coordinator, 'POST', `/api/v1/question-banks/${bankId}/import?format=gift`, GIFT);
    examId = (
      await call(coordinator, 'POST', '/api/v1/assessments', {
        title: EXAM,
        sector: 'health',
        timeLimitMinutes: 2,
        passPercent: 60,
        maxAttempts: 2,
        shuffle: false,
        reviewPolicy: 'answers',
        sections: [{ bankId, count: 3 }],
      })
    ).id;
    await call(coordinator, 'POST', `/api/v1/assessments/${examId}/publish`);

    // The scheme the course counts toward: the course and a pass of the exam.
    const scheme = await call(admin, 'POST', '/api/v1/certification-schemes', {
      sector: 'health',
      code: 'KES-CTL-22',
      title: SCHEME,
      requirements: {
        courses: ['KES-CTL-22'],
        assessments: [{ assessmentId: examId, minPercent: 60 }],
      },
      attests: [{ competencyCode: COMPETENCY, level: 2 }],
    });
    const preview = await call(
      admin,
      'GET',
      `/api/v1/certification-schemes/${scheme.id}/activation-preview`,
    );
    await call(admin, 'POST', `/api/v1/certification-schemes/${scheme.id}/activate`, {
      confirm: preview.count,
    });
  });
  afterAll(() => world?.close());

  async function signedIn(viewport: { width: number; height: number } = DESKTOP) {
    const context = await browser.newContext({ locale: 'id-ID', viewport });
    const page = await context.newPage();
    await page.goto(`${base}/masuk`);
    await page.getByLabel('NIP atau e-mail').fill(LEARNER);
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(`${base}/beranda`);
    return page;
  }

  const text = async (page: Page, selector: string) =>
    ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

  it('enrols, leaves a lesson unfinished, resumes at it, finishes, is shown the exam and the scheme, reads what the exam holds, is warned before the time runs out, and reads the right answers', async () => {
    const page = await signedIn();

    // Enrol from the catalogue.
    await page.goto(`${base}/pelatihan`);
    await page.getByRole('link', { name: COURSE, exact: true }).click();
    await page.getByRole('button', { name: 'Ikuti pelatihan' }).click();
    await page.waitForURL(`${base}/pelatihan/${courseId}`);
    await expect(text(page, '.course-progress .progress-text')).resolves.toBe(
      '0 dari 2 pelajaran selesai (0%)',
    );
    await screenshot(page, 'learner-01-enrolled');

    // The first lesson is done; the second is opened and left.
    await page.getByRole('link', { name: /^Mulai belajar/ }).click();
    await expect(text(page, 'h1')).resolves.toBe(LESSON_ONE);
    await page.getByRole('button', { name: 'Tandai selesai' }).click();
    await expect(text(page, 'h1')).resolves.toBe(LESSON_TWO);

    // Unfinished, the course is what the dashboard recommends for the gap.
    await page.goto(`${base}/beranda`);
    const gaps = page.getByRole('region', { name: 'Kesenjangan terbesar' });
    await expect(gaps.getByRole('link', { name: COURSE, exact: true }).count()).resolves.toBe(1);

    // "Pembelajaran Saya": the card says how far, with a bar, and where to go on.
    await page.goto(`${base}/pembelajaran`);
    const card = page.locator('.course-card', { hasText: COURSE });
    await expect(card.locator('.progress-text').textContent()).resolves.toBe(
      '1 dari 2 pelajaran selesai (50%)',
    );
    await expect(card.locator('progress').getAttribute('value')).resolves.toBe('50');
    await expect(
      card.locator('progress').evaluate((el) => el.getAttribute('aria-labelledby')),
    ).resolves.toBeTruthy();
    await screenshot(page, 'learner-02-my-learning');

    // The course page says "Lanjutkan" too, and so does the catalogue card.
    await page.goto(`${base}/pelatihan/${courseId}`);
    await expect(page.getByRole('link', { name: /^Mulai belajar/ }).count()).resolves.toBe(0);
    await expect(
      page.getByRole('link', { name: /^Lanjutkan belajar/ }).getAttribute('href'),
    ).resolves.toMatch(/\/pelajaran\/[^/]+$/);
    await page.goto(`${base}/pelatihan`);
    const catalogueCard = page.locator('.course-card', { hasText: COURSE });
    await expect(catalogueCard.locator('.progress-text').textContent()).resolves.toBe(
      '1 dari 2 pelajaran selesai (50%)',
    );
    await catalogueCard.getByRole('link', { name: /^Lanjutkan belajar/ }).click();
    // "Lanjutkan" opens the lesson left unfinished, not the first one.
    await expect(text(page, 'h1')).resolves.toBe(LESSON_TWO);

    // Finished: the course page says what comes next.
    await page.getByRole('button', { name: 'Tandai selesai' }).click();
    await page.waitForURL(`${base}/pelatihan/${courseId}`);
    await expect(text(page, '.course-progress .progress-text')).resolves.toBe(
      '✓ Selesai · 2 dari 2 pelajaran selesai (100%)',
    );
    const next = page.getByRole('region', { name: 'Langkah berikutnya' });
    await expect(next.getByRole('link', { name: EXAM }).getAttribute('href')).resolves.toBe(
      `/ujian/${examId}`,
    );
    await expect(next.textContent()).resolves.toContain(SCHEME);
    await expect(next.textContent()).resolves.toContain('Ujian (minimal 60%)');
    await expect(next.textContent()).resolves.not.toContain(`Pelatihan: ${COURSE}`);
    await screenshot(page, 'learner-03-next-step');

    // The dashboard points to the exam and no longer recommends the finished course.
    await page.goto(`${base}/beranda`);
    const dashNext = page.getByRole('region', { name: 'Langkah berikutnya' });
    await expect(
      dashNext.getByRole('link', { name: `Ikuti ujian ${EXAM}` }).getAttribute('href'),
    ).resolves.toBe(`/ujian/${examId}`);
    await expect(gaps.getByRole('link', { name: COURSE, exact: true }).count()).resolves.toBe(0);
    await expect(
      gaps.getByRole('link', { name: `${COURSE} sudah selesai: lihat ujiannya` }).count(),
    ).resolves.toBe(1);
    await screenshot(page, 'learner-04-dashboard');

    // The exam's start page says what is inside before anything starts.
    await dashNext.getByRole('link', { name: `Ikuti ujian ${EXAM}` }).click();
    await page.waitForURL(`${base}/ujian/${examId}`);
    const facts = await page
      .locator('dl.exam-facts')
      .evaluate((dl) =>
        Object.fromEntries(
          [...dl.querySelectorAll('dt')].map((dt) => [
            dt.textContent!.trim(),
            (dt.nextElementSibling as HTMLElement).innerText.replace(/\s+/g, ' ').trim(),
          ]),
        ),
      );
    expect(facts).toMatchObject({
      'Jumlah soal': '3',
      Waktu: '2 menit',
      'Nilai lulus': '60 %',
      'Sisa kesempatan': '2 dari 2',
      'Setelah selesai Anda melihat':
        'skor, benar/salah tiap soal, umpan balik, dan jawaban yang benar (setelah kesempatan terakhir Anda)',
    });
    for (const kind of ['Pilihan ganda: 1 soal', 'Benar/Salah: 1 soal', 'Uraian: 1 soal'])
      expect(facts['Jenis soal']).toContain(kind);
    await expect(text(page, '.note')).resolves.toContain('soal uraian');
    await screenshot(page, 'learner-05-exam-start');

    // Sit it on a clock the test moves: the warning, then the end of the time.
    await page.clock.install();
    await page.getByRole('button', { name: 'Mulai ujian' }).click();
    await page.waitForURL(/\/ujian\/percobaan\/[^/]+$/);
    const attemptUrl = page.url();
    await page.getByLabel('Lima', { exact: true }).check();
    await page.waitForFunction(() =>
      document.getElementById('exam-status')?.textContent?.startsWith('Tersimpan'),
    );
    const alert = page.locator('#exam-time-alert');
    await expect(alert.getAttribute('role')).resolves.toBe('alert');
    // Two minutes on the clock: under five already, said once on opening.
    await expect(alert.textContent()).resolves.toBe('Sisa waktu kurang dari 5 menit.');
    await page.clock.fastForward('01:05');
    await expect(alert.textContent()).resolves.toContain('Sisa waktu kurang dari 1 menit!');
    await expect(alert.isVisible()).resolves.toBe(true);
    await screenshot(page, 'learner-06-one-minute-left');

    // The time runs out: the server's clock passes the deadline and so does the page's.
    passTime(world.app, 2 * 60 + 5);
    await page.clock.fastForward('01:00');
    await page.waitForFunction(() =>
      document.getElementById('exam-time-alert')?.textContent?.startsWith('Waktu habis'),
    );
    await page.clock.fastForward('00:02');
    await page.waitForURL(`${attemptUrl}/hasil`);
    const timedOut = page.locator('[data-test="timed-out"]');
    await expect(timedOut.getAttribute('role')).resolves.toBe('alert');
    await expect(text(page, '[data-test="timed-out"]')).resolves.toContain(
      'Waktu habis — jawaban Anda dikirim otomatis.',
    );
    await expect(text(page, '[data-test="timed-out"]')).resolves.toContain(
      'Jawaban yang tersimpan: 1 dari 3 soal.',
    );
    // Which question holds the saved answer: the one whose review shows "Lima".
    const sections = page.locator('section.review');
    const review = (stem: string) => sections.filter({ hasText: stem });
    const savedSlot = ((await review('Berapa momen').locator('h2').textContent()) ?? '').match(
      /Soal (\d+)/,
    )![1];
    const saved = await timedOut.locator('li').allTextContents();
    expect(saved).toHaveLength(3);
    expect(saved.filter((line) => line.endsWith('jawaban tersimpan'))).toEqual([
      `Soal ${savedSlot}: jawaban tersimpan`,
    ]);
    expect(saved.filter((line) => line.endsWith('tidak dijawab'))).toHaveLength(2);

    // A try is left: the right answers wait for it, and the page says why.
    await expect(page.locator('.answer-key').count()).resolves.toBe(0);
    await expect(text(page, '[data-test="answers-later"]')).resolves.toContain(
      'setelah kesempatan terakhir Anda',
    );
    await screenshot(page, 'learner-07-result');
    await page.context().close();
  });

  it('on a phone, the course card and the exam start page fit the screen', async () => {
    const page = await signedIn(PHONE);
    const fits = () =>
      page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

    await page.goto(`${base}/pembelajaran`);
    const card = page.locator('.course-card', { hasText: COURSE }).first();
    await expect(card.locator('progress').isVisible()).resolves.toBe(true);
    const box = await card.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    await expect(fits()).resolves.toBe(true);
    await screenshot(page, 'learner-08-card-phone');

    await page.goto(`${base}/ujian/${examId}`);
    await expect(text(page, 'dl.facts')).resolves.toContain('Uraian: 1 soal');
    await screenshot(page, 'learner-09-exam-start-phone');
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .map((el) => `${el.tagName}.${el.className}`)
        .slice(0, 5),
    );
    expect(wide).toEqual([]);
    await expect(fits()).resolves.toBe(true);
    const start = page.getByRole('button', { name: 'Mulai ujian' });
    const button = await start.boundingBox();
    expect(button!.x + button!.width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'learner-09-exam-start-phone');
    await page.context().close();
  });

  it('passes on the second attempt, the essay is graded, the certificate follows; the learner shares it and a stranger verifies it by the number printed on the paper', async () => {
    const page = await signedIn();
    await page.goto(`${base}/ujian/${examId}`);
    await expect(text(page, 'dl.exam-facts')).resolves.toContain('1 dari 2');
    await page.getByRole('button', { name: 'Mulai ujian' }).click();
    await page.waitForURL(/\/ujian\/percobaan\/[^/]+$/);
    const attemptId = page.url().split('/').pop()!;
    const question = (stem: string) => page.locator('fieldset.question', { hasText: stem });
    await question('Berapa momen').getByLabel('Lima', { exact: true }).check();
    await question('Handrub').getByLabel('Salah', { exact: true }).check();
    const essay = question('Jelaskan kapan');
    await essay.getByLabel('Jawaban Anda').fill('Sebelum dan sesudah kontak dengan pasien.');
    await page.locator('#exam-status').getByText('Tersimpan').waitFor();
    const essaySlot = Number(await essay.getAttribute('data-slot'));
    await page.getByRole('button', { name: 'Selesai' }).click();
    await page
      .getByRole('dialog', { name: 'Kumpulkan ujian?' })
      .getByRole('button', { name: 'Kumpulkan' })
      .click();
    await page.waitForURL(/\/hasil$/);
    // The last try: now the policy shows each question, the answer given and the right one.
    const reviewOf = (stem: string) => page.locator('section.review', { hasText: stem });
    await expect(page.locator('.answer-key').count()).resolves.toBe(3);
    await expect(
      reviewOf('Berapa momen').locator('.answer-key dd').allTextContents(),
    ).resolves.toEqual(['Lima', 'Lima']);
    await expect(reviewOf('Handrub').locator('.answer-key dd').allTextContents()).resolves.toEqual([
      'Salah',
      'Salah',
    ]);
    await expect(
      reviewOf('Jelaskan kapan').locator('.answer-key dd').nth(1).textContent(),
    ).resolves.toBe('Tidak ada satu jawaban benar: soal ini dinilai oleh penilai.');
    await screenshot(page, 'learner-10-last-try-answers');

    // The coordinator grades the essay (the grading page is the coordinator's journey).
    const coordinator = await world.login(COORDINATOR);
    await world.call(
      coordinator,
      'POST',
      `/api/v1/attempts/${attemptId}/answers/${essaySlot}/grade`,
      {
        score: 1,
        comment: 'Tepat: sebelum dan sesudah kontak.',
      },
    );

    // The course and the pass are what the scheme asks: the certificate is there.
    await page.goto(`${base}/sertifikat`);
    await expect(page.locator('main').textContent()).resolves.toContain(SCHEME);
    const [certificate] = (await world.call(
      await world.login(LEARNER),
      'GET',
      '/api/v1/me/certificates',
    )) as { number: string; code: string; status: string }[];
    expect(certificate.status).toBe('active');
    await screenshot(page, 'learner-11-certificates');

    // Share: the credential page gives the public link and LinkedIn's form.
    await page.getByRole('link', { name: 'Kredensial digital' }).first().click();
    await page.waitForURL(/\/kredensial$/);
    await expect(page.getByLabel('Tautan verifikasi publik').inputValue()).resolves.toBe(
      `${base}/verify/${certificate.code}`,
    );
    const linkedIn = new URL(
      (await page
        .getByRole('link', { name: 'Tambahkan ke profil LinkedIn' })
        .getAttribute('href'))!,
    );
    expect(linkedIn.searchParams.get('name')).toBe(SCHEME);
    expect(linkedIn.searchParams.get('certId')).toBe(certificate.number);
    await screenshot(page, 'learner-12-credential');
    await page.context().close();

    // A stranger holding the paper: from the home page, by the printed number.
    const visitor = await browser.newContext({ locale: 'id-ID', viewport: PHONE });
    const anon = await visitor.newPage();
    await anon.goto(`${base}/`);
    await anon.getByLabel('Kode verifikasi atau nomor sertifikat').fill(certificate.number);
    await anon.getByRole('button', { name: 'Periksa' }).click();
    await expect(anon.getByRole('status').first().textContent()).resolves.toContain(
      'Sertifikat sah dan berlaku',
    );
    await expect(anon.locator('dl.facts').textContent()).resolves.toContain(SCHEME);
    await screenshot(anon, 'learner-13-verified-by-number-phone');
    await visitor.close();
  });
});
