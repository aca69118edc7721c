/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/people/bootstrap.service.js';
import { axeProblems, describeProblems, headingSkips } from '../helpers/axe.js';
import { bootBrowserWorld, DESKTOP, PHONE, type BrowserWorld } from '../helpers/browser-world.js';

const ADMIN = 'admin@demo.sertifikasi.id';
const COORDINATOR = 'koordinator.health@demo.sertifikasi.id';
const HOLDER = '199003152015032001'; // Nurhayati Harahap: holds a demo certificate
const CANDIDATE = '198807202014031002'; // dr. Fadli Nasution, same sector: sits the exam here
const KEYBOARD_ASN = '199106052019031004'; // an education ASN with exam attempts left

/** What has the keyboard focus, and whether a sighted user can see where it is. */
interface Focus {
  tag: string;
  type: string;
  name: string;
  id: string;
  text: string;
  href: string;
  slot: string | null;
  /** The question's widget (choice, boolean, match, number…), inside a question. */
  kind: string | null;
  /** Something in its group (radio, checkbox) or the field itself already holds an answer. */
  filled: boolean;
  ring: boolean;
}

function focusNow(page: Page): Promise<Focus> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    if (!el || el === document.body)
      return {
        tag: 'body',
        type: '',
        name: '',
        id: '',
        text: '',
        href: '',
        slot: null,
        kind: null,
        filled: false,
        ring: true,
      };
    const style = getComputedStyle(el);
    const group = el.name
      ? [...document.querySelectorAll<HTMLInputElement>(`[name="${CSS.escape(el.name)}"]`)]
      : [el];
    return {
      tag: el.tagName.toLowerCase(),
      type: el.type ?? '',
      name: el.name ?? '',
      id: el.id,
      text: (el.textContent ?? '').trim(),
      href: el.getAttribute('href') ?? '',
      slot: el.closest<HTMLElement>('.question[data-slot]')?.dataset.slot ?? null,
      kind: el.closest<HTMLElement>('.question[data-slot]')?.dataset.kind ?? null,
      filled:
        el.type === 'radio' || el.type === 'checkbox'
          ? group.some((g) => g.checked)
          : el.value !== '',
      // :focus-visible draws a 3px outline (and a dark ring inside it).
      ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    };
  });
}

/**
 * Issue 23: axe-core (WCAG 2.0–2.2, A and AA) on every page of every role, on the demo data
 * with the sector packs installed; no serious or critical violation anywhere. One signed-in
 * context per role; each test lists every page's problems at once, so one run shows all there
 * is to fix.
 */
describe('accessibility: every page of every role passes axe-core', () => {
  let world: BrowserWorld;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    world = await bootBrowserWorld({ CONTENT_SYNC: 'true' });
    ({ browser, base } = world);
  }, 180_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await world?.close();
  });

  async function as(
    username: string | null,
    viewport: { width: number; height: number } = DESKTOP,
  ): Promise<Page> {
    const context = await browser.newContext({ locale: 'id-ID', viewport });
    contexts.push(context);
    const page = await context.newPage();
    if (username) {
      await page.goto(`${base}/masuk`);
      await page.getByLabel('NIP atau e-mail').fill(username);
      await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.waitForURL(`${base}/beranda`);
    }
    return page;
  }

  /**
   * Opens each path (or checks the page as it is, for `''`) and gathers what axe finds; a
   * page answered with an error status is named with it (`[path, 404]`).
   */
  async function audit(page: Page, paths: (string | [string, number])[]): Promise<string> {
    const found: string[] = [];
    for (const entry of paths) {
      const [path, status] = typeof entry === 'string' ? [entry, 200] : entry;
      if (path) {
        const res = await page.goto(base + path);
        expect([path, res?.status()]).toEqual([path, status]);
      }
      const problems = await axeProblems(page);
      if (problems.length) found.push(describeProblems(path || page.url(), problems));
      const skips = await headingSkips(page);
      if (skips.length)
        found.push(`${path || page.url()}: headings skip a level: ${skips.join('; ')}`);
    }
    return found.join('\n');
  }

  /** A supervised exam with a session now: the holder proctors, the candidate has a seat. */
  async function aSupervisedSession(): Promise<{ id: string; assessmentId: string }> {
    const { login, call } = world;
    const coordinator = await login(COORDINATOR);
    const bank = await call(coordinator, 'POST', '/api/v1/question-banks', {
      name: 'Bank Ujian Tersupervisi',
      sector: 'health',
    });
    const gift = [1, 2, 3].map((i) => `::S${i}:: Pernyataan ${i} benar. {T}`).join('\n\n');
    await call(coordinator, 'POST', `/api/v1/question-banks/${bank.id}/import?format=gift`, gift);
    const assessment = await call(coordinator, 'POST', '/api/v1/assessments', {
      title: 'Ujian Tersupervisi',
      sector: 'health',
      timeLimitMinutes: 30,
      passPercent: 60,
      maxAttempts: 1,
      shuffle: false,
      sections: [{ bankId: bank.id, count: 3 }],
      reviewPolicy: 'score',
      supervised: true,
    });
    await call(coordinator, 'POST', `/api/v1/assessments/${assessment.id}/publish`);
    const proctor = await call(await login(HOLDER), 'GET', '/api/v1/me');
    const session = await call(
      coordinator,
      'POST',
      `/api/v1/assessments/${assessment.id}/sessions`,
      {
        startsAt: new Date(Date.now() - 600_000).toISOString(),
        endsAt: new Date(Date.now() + 7_200_000).toISOString(),
        location: 'Lab Komputer BKPSDM',
        capacity: 10,
        proctorIds: [proctor.id],
      },
    );
    await call(coordinator, 'POST', `/api/v1/sessions/${session.id}/candidates`, {
      nips: [CANDIDATE],
    });
    return { id: session.id, assessmentId: assessment.id };
  }

  /** Starts (or resumes) the first exam on `/ujian` that can be sat now; the exam's path. */
  async function sitAnExam(page: Page): Promise<string> {
    await page.goto(`${base}/ujian`);
    const exams = await page
      .locator('main a[href^="/ujian/"]')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
    for (const exam of exams) {
      await page.goto(base + exam);
      const open = page.getByRole('button', { name: 'Mulai ujian' });
      const resume = page.getByRole('link', { name: 'Lanjutkan ujian' });
      if (!(await open.count()) && !(await resume.count())) continue;
      await ((await open.count()) ? open : resume).click();
      await page.waitForURL(/\/ujian\/percobaan\/[^/?]+$/);
      return exam;
    }
    throw new Error(`No exam to sit among ${exams.join(', ')}`);
  }

  /** The `href` of the first link matching `selector` on `path`: how a user would get there. */
  async function linkOn(page: Page, path: string, selector: string): Promise<string> {
    await page.goto(base + path);
    const href = await page.locator(selector).first().getAttribute('href', { timeout: 5_000 });
    expect([path, selector, href]).toEqual([path, selector, expect.stringMatching(/^\//)]);
    return href!;
  }

  it('public pages', async () => {
    const admin = await world.login(ADMIN);
    const [certificate] = await world.call(admin, 'GET', '/api/v1/certificates');
    const page = await as(null);
    const problems = await audit(page, [
      '/',
      '/masuk',
      '/lupa-sandi',
      '/verify',
      `/verify/${certificate.code}`,
      `/verify?code=${encodeURIComponent(certificate.number)}`,
      // A reset link that no longer works, and a page that is not there.
      ['/sandi-baru?token=tidak-berlaku', 400],
      ['/tidak-ada', 404],
    ]);
    expect(problems).toBe('');
  });

  it('an ASN: dashboard, learning, an exam from start to result, certificates, profile', async () => {
    const page = await as(HOLDER);
    const course = await linkOn(page, '/pembelajaran', 'main a[href^="/pelatihan/"]');
    const lesson = await linkOn(page, course, 'main a[href*="/pelajaran/"]');
    const credential = await linkOn(page, '/sertifikat', 'main a[href$="/kredensial"]');
    let problems = await audit(page, [
      '/beranda',
      '/kompetensi',
      '/pelatihan',
      course,
      lesson,
      '/pembelajaran',
      '/sertifikat',
      credential.replace(/\/kredensial$/, ''),
      credential,
      '/notifikasi',
      '/profil',
      '/ganti-sandi',
    ]);

    // A supervised session: the holder proctors it (the console on a phone-sized page), the
    // colleague has a seat (the start page asks for the PIN), anyone reads the board.
    const session = await aSupervisedSession();
    problems += await audit(page, [`/sesi/${session.id}`, `/sessions/${session.id}/board`]);

    // An exam, sat by a colleague with attempts left: start page, the exam, confirm, result.
    const candidate = await as(CANDIDATE);
    problems += await audit(candidate, [`/ujian/${session.assessmentId}`]);
    const exam = await sitAnExam(candidate);
    problems += await audit(candidate, ['']);
    const attempt = new URL(candidate.url()).pathname;
    problems += await audit(candidate, ['/ujian', exam]);
    problems += await audit(candidate, [`${attempt}?no=1`, `${attempt}/kumpulkan`]);
    await candidate.getByRole('button', { name: 'Kumpulkan' }).click();
    await candidate.waitForURL(/\/hasil$/);
    problems += await audit(candidate, ['']);
    expect(problems).toBe('');
  });

  it('the exam page on a phone', async () => {
    const page = await as(HOLDER, PHONE);
    await sitAnExam(page);
    expect(await audit(page, [''])).toBe('');
  });

  it('a coordinator: courses, banks and questions, exams, grading, sessions, schemes, reports', async () => {
    const page = await as(COORDINATOR);
    const course = await linkOn(page, '/kelola/pelatihan', 'main a[href^="/kelola/pelatihan/"]');
    const bank = await linkOn(page, '/kelola/bank-soal', 'main a[href^="/kelola/bank-soal/"]');
    const question = await linkOn(page, bank, 'main a[href*="/soal/"]:not([href$="/ubah"])');
    const exam = await linkOn(page, '/kelola/ujian', 'main a[href^="/kelola/ujian/"]');
    const problems = await audit(page, [
      '/beranda',
      '/kelola/pelatihan',
      course,
      '/kelola/bank-soal',
      bank,
      `${bank}/soal-baru`,
      question,
      `${question}/ubah`,
      '/kelola/ujian',
      exam,
      `${exam}/pratinjau`,
      `${exam}/peserta`,
      `${exam}/sesi`,
      '/kelola/penilaian',
      '/kelola/skema',
      '/kompetensi-sektor',
      '/laporan',
      exam.replace('/kelola/ujian/', '/laporan/ujian/'),
      '/laporan/kesenjangan',
      '/profil',
    ]);
    expect(problems).toBe('');
  });

  it('an admin: people, structure, sectors, standards, certificates, reports, audit', async () => {
    const page = await as(ADMIN);
    const user = await linkOn(
      page,
      '/admin/pengguna',
      'main a[href^="/admin/pengguna/"]:not([href$="/baru"])',
    );
    const position = await linkOn(page, '/admin/jabatan', 'main a[href^="/admin/jabatan/"]');
    const revoke = await linkOn(page, '/admin/sertifikat', 'main a[href$="/cabut"]');
    const scheme = await world.call(
      await world.login(ADMIN),
      'POST',
      '/api/v1/certification-schemes',
      {
        sector: 'health',
        code: 'A11Y-DRAFT',
        title: 'Skema Konsep',
        requirements: { courses: [], assessments: [], approval: true, rules: [] },
        attests: [{ competencyCode: 'KES.PPI', level: 1 }],
        validityMonths: 24,
      },
    );
    const problems = await audit(page, [
      '/beranda',
      '/admin/pengguna',
      '/admin/pengguna/baru',
      user,
      '/admin/unit-kerja',
      '/admin/impor',
      '/admin/sektor',
      '/admin/jabatan',
      position,
      '/admin/kompetensi',
      '/admin/sertifikat',
      revoke,
      '/kelola/skema',
      `/kelola/skema/${scheme.id}/aktivasi`,
      '/laporan',
      '/laporan/program',
      '/laporan/kesenjangan',
      '/admin/audit',
    ]);
    expect(problems).toBe('');
  });

  /** Tabs until `wanted` holds (at most `limit` stops); every stop must show where it is. */
  async function tabTo(page: Page, wanted: (f: Focus) => boolean, limit = 20): Promise<Focus> {
    const stops: string[] = [];
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press('Tab');
      const focus = await focusNow(page);
      expect([focus.tag, focus.id || focus.name || focus.text, focus.ring]).toEqual([
        focus.tag,
        focus.id || focus.name || focus.text,
        true,
      ]);
      if (wanted(focus)) return focus;
      stops.push(
        `${focus.tag}${focus.id ? '#' + focus.id : ''} ${focus.href || focus.text}`.trim(),
      );
    }
    throw new Error(
      `Not reached in ${limit} presses of Tab on ${page.url()}: ${stops.join(' | ')}`,
    );
  }

  it('signs in with the keyboard alone: skip link first, a visible focus at every stop', async () => {
    const page = await as(null);
    await page.goto(`${base}/masuk`);
    const skip = await tabTo(page, () => true, 1);
    expect(skip.text).toBe('Lewati ke konten');
    await tabTo(page, (f) => f.id === 'username');
    await page.keyboard.type(KEYBOARD_ASN);
    await tabTo(page, (f) => f.id === 'password', 1);
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/beranda`);
  });

  it('takes a whole exam with the keyboard alone: every question answered, one flagged, confirmed, submitted', async () => {
    const page = await as(KEYBOARD_ASN);
    // Which exam on the list can be started now (looked up, not clicked)...
    await page.goto(`${base}/ujian`);
    const exams = await page
      .locator('main a[href^="/ujian/"]')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
    let exam: string | undefined;
    for (const href of exams) {
      await page.goto(base + href);
      if (await page.getByRole('button', { name: 'Mulai ujian' }).count()) exam = href;
      if (exam) break;
    }
    expect(exam).toBeDefined();
    // ...then from the list to its start page and into the exam, by Tab and Enter.
    await page.goto(`${base}/ujian`);
    await tabTo(page, (f) => f.href === exam, 40);
    await page.keyboard.press('Enter');
    await page.waitForURL(base + exam);
    await tabTo(page, (f) => f.text === 'Mulai ujian', 40);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/ujian\/percobaan\/[^/?]+$/);
    const total = await page.locator('fieldset.question').count();
    expect(total).toBeGreaterThan(1);

    // Through the form: each field answered the way a keyboard does it.
    const kinds = new Set<string>();
    let flagged = false;
    for (;;) {
      const f = await tabTo(page, (x) => x.slot !== null || x.id === 'exam-finish', 200);
      if (f.id === 'exam-finish') break;
      if (f.name === `flag${f.slot}`) {
        if (!flagged) await page.keyboard.press('Space');
        flagged = true;
        continue;
      }
      if (f.filled) continue;
      kinds.add(f.kind!);
      if (f.type === 'radio' || f.type === 'checkbox') await page.keyboard.press('Space');
      else if (f.tag === 'select') await page.keyboard.press('ArrowDown');
      else await page.keyboard.type(f.tag === 'textarea' ? 'Jawaban uraian.' : '5');
    }
    // Every kind of question the drawn exam holds was answered from the keyboard.
    const onPage = await page
      .locator('fieldset.question')
      .evaluateAll((qs) => [...new Set(qs.map((q) => (q as HTMLElement).dataset.kind!))]);
    expect(onPage.length).toBeGreaterThan(1);
    expect([...kinds].sort()).toEqual(onPage.sort());
    // The links to the questions say what their colours show.
    const nav = page.getByRole('navigation', { name: 'Navigasi soal' });
    for (let slot = 1; slot <= total; slot++) {
      const name = `Soal ${slot}, dijawab${slot === 1 ? ', ditandai' : ''}`;
      await expect(nav.getByRole('link', { name, exact: true }).count()).resolves.toBe(1);
    }

    // Back up through the questions: the sticky bar at the top never hides the focus (2.4.11).
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Shift+Tab');
      const hidden = await page.evaluate(() => {
        const el = document.activeElement!;
        const bar = document.querySelector('.exam-bar')!.getBoundingClientRect();
        const box = el.getBoundingClientRect();
        return el.closest('.exam-bar') || box.top >= bar.bottom ? null : el.outerHTML.slice(0, 80);
      });
      expect(hidden).toBeNull();
    }
    await tabTo(page, (f) => f.id === 'exam-finish', 40);

    // "Selesai" asks for confirmation; the dialog takes the focus.
    await page.keyboard.press('Enter');
    await expect(page.locator('#exam-dialog-text').textContent()).resolves.toBe(
      'Semua soal sudah dijawab.',
    );
    await expect(focusNow(page)).resolves.toMatchObject({ text: 'Kembali ke soal' });
    await tabTo(page, (f) => f.text === 'Kumpulkan', 1);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/hasil$/);
    const attemptId = /percobaan\/([^/]+)\/hasil/.exec(page.url())![1];
    const attempt = await world.call(
      await world.login(KEYBOARD_ASN),
      'GET',
      `/api/v1/attempts/${attemptId}`,
    );
    expect(attempt.status).not.toBe('in_progress');
    expect(attempt.items.filter((i: { response: unknown }) => i.response == null)).toEqual([]);
    expect(
      attempt.items
        .filter((i: { flagged: boolean }) => i.flagged)
        .map((i: { slot: number }) => i.slot),
    ).toEqual([1]);
  });
});
