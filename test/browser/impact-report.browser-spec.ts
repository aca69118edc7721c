/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { EvaluationResponse } from '../../src/development/development.entity.js';
import { Course } from '../../src/learning/course.entity.js';
import { Enrollment } from '../../src/learning/enrollment.entity.js';
import { DEMO_PASSWORD } from '../../src/people/bootstrap.service.js';
import { axeProblems, describeProblems } from '../helpers/axe.js';
import {
  bootBrowserWorld,
  DESKTOP,
  PHONE,
  screenshot,
  type BrowserWorld,
} from '../helpers/browser-world.js';

const YEAR = new Date().getUTCFullYear();
const EVIL = '<img src=x onerror=alert(1)> Pelatihan Triase';

/**
 * The impact report as a coordinator sees it: charts drawn on the server are images with a
 * name, visible on a phone and a PC, and a course title holding markup stays text.
 */
describe('impact report in a real browser', () => {
  let world: BrowserWorld;
  let browser: Browser;
  let base: string;
  let page: Page;
  const alerts: string[] = [];

  beforeAll(async () => {
    world = await bootBrowserWorld();
    ({ browser, base } = world);
    const db = world.app.get(DataSource);
    const [learner] = (await db.query(
      "SELECT id FROM users WHERE role = 'asn' AND active = ? ORDER BY id LIMIT 1",
      [true],
    )) as { id: string }[];
    const course = {
      id: randomUUID(),
      code: 'KES-DAMPAK',
      version: 1,
      status: 'published' as const,
      sector: 'health',
      title: EVIL,
      summary: 'Ringkas',
      objectives: [],
      competencies: [],
      jp: 4,
      durationMinutes: 180,
      publishedAt: new Date(),
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    await db.getRepository(Course).insert(course);
    await db.getRepository(Enrollment).insert({
      id: randomUUID(),
      userId: learner.id,
      courseId: course.id,
      status: 'completed',
      assignedBy: null,
      dueAt: null,
      enrolledAt: new Date(Date.UTC(YEAR, 0, 5)),
      completedAt: new Date(Date.UTC(YEAR, 0, 9)),
    });
    for (let i = 0; i < 5; i++)
      await db.getRepository(EvaluationResponse).insert({
        id: randomUUID(),
        kind: 'reaction',
        evaluationId: null,
        subjectUserId: null,
        courseId: course.id,
        schemeId: null,
        certificateId: null,
        ratings: { '0': 4, '1': 5 },
        comment: null,
        year: YEAR,
        // Of a day that is over: today's answers are published tomorrow (ADR 0040).
        createdAt: new Date(Date.now() - 2 * 86_400_000),
      });

    const context = await browser.newContext({ locale: 'id-ID', viewport: DESKTOP });
    page = await context.newPage();
    page.on('dialog', (dialog) => {
      alerts.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${base}/masuk`);
    await page.getByLabel('NIP atau e-mail').fill('koordinator.health@demo.sertifikasi.id');
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(`${base}/beranda`);
  }, 120_000);

  afterAll(async () => {
    await page?.context().close();
    await world?.close();
  });

  it('shows the charts as named images and the title as text', async () => {
    await page.goto(`${base}/laporan/dampak?year=${YEAR}`);
    const chart = page.getByRole('img', { name: /Rata-rata reaksi \(1–5\) per pelatihan/ });
    await expect(chart.isVisible()).resolves.toBe(true);
    const box = await chart.boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    expect(box!.height).toBeGreaterThan(10);
    await expect(
      page.getByRole('img', { name: /Persentase lulus per pelatihan/ }).count(),
    ).resolves.toBe(1);
    // The mean of 4 and 5 over five answers, read aloud from the chart's description.
    const description = await chart.evaluate((svg) => svg.querySelector('desc')?.textContent);
    expect(description).toContain(`${EVIL}: 4,5`);
    // The title is text in the table and the chart, never an element.
    await expect(
      page.getByRole('rowheader', { name: /Pelatihan Triase/ }).textContent(),
    ).resolves.toContain('<img src=x');
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
    expect(alerts).toEqual([]);
    await screenshot(page, 'impact-report-desktop');
  });

  it('fits a phone and has no serious accessibility problem', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${base}/laporan/dampak?year=${YEAR}`);
    const charts = page.locator('figure[data-test="impact-chart"] svg');
    expect(await charts.count()).toBeGreaterThan(0);
    await expect(charts.first().isVisible()).resolves.toBe(true);
    const chartWidth = await charts.first().evaluate((svg) => svg.getBoundingClientRect().width);
    expect(chartWidth).toBeLessThanOrEqual(PHONE.width);
    const problems = await axeProblems(page);
    expect(describeProblems('/laporan/dampak', problems)).toBe('');
    await screenshot(page, 'impact-report-phone');
    await page.setViewportSize(DESKTOP);
  });

  it('lets an admin set a ceiling on the agency plan page, whose chart then shows it', async () => {
    const context = await browser.newContext({ locale: 'id-ID', viewport: PHONE });
    const admin = await context.newPage();
    await admin.goto(`${base}/masuk`);
    await admin.getByLabel('NIP atau e-mail').fill('admin@demo.sertifikasi.id');
    await admin.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await admin.getByRole('button', { name: 'Masuk' }).click();
    await admin.waitForURL(`${base}/beranda`);
    await admin.goto(`${base}/laporan/rencana-pengembangan?year=${YEAR}`);
    await admin.getByLabel(`Pagu tahun ${YEAR} (rupiah)`).fill('250.000.000');
    await admin.getByRole('button', { name: 'Simpan pagu' }).click();
    await admin.waitForURL(/\/laporan\/rencana-pengembangan/);
    await expect(admin.getByRole('status').first().textContent()).resolves.toContain('disimpan');
    const chart = admin.getByRole('img', { name: /Perkiraan biaya dan pagu per unit kerja/ });
    await expect(chart.isVisible()).resolves.toBe(true);
    await expect(chart.evaluate((svg) => svg.querySelector('desc')?.textContent)).resolves.toMatch(
      /Pagu Rp 250\.000\.000/,
    );
    const problems = await axeProblems(admin);
    expect(describeProblems('/laporan/rencana-pengembangan', problems)).toBe('');
    await screenshot(admin, 'development-plan-phone');
    await context.close();
  });
});
