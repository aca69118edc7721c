import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { sectors } from '../../modules/index.js';
import { createApp } from '../../src/app.factory.js';
import { DEMO_PASSWORD } from '../../src/people/bootstrap.service.js';
import { createTestDatabase, testConfig, type TestDatabase } from './test-app.js';

/** The app with its demo data, listening on a port, and Debian's Chromium to drive it. */
export interface BrowserWorld {
  db: TestDatabase;
  app: NestFastifyApplication;
  browser: Browser;
  base: string;
  /** An access token for a demo account, as a script would sign in. */
  login(username: string): Promise<string>;
  /** The JSON API as a script would use it, to set up data a browser journey needs. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON of any route
  call(token: string, method: string, path: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

/** The two screens every journey is walked on: an office PC and a common phone. */
export const DESKTOP = { width: 1366, height: 768 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** Screenshots kept by CI as artefacts (and picked from for the README's first-day guide). */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

/** Saves a full-page screenshot of what the user sees now, named after the journey step. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** `env` adds to the test configuration (e.g. `SMTP_URL` for a journey that reads mail). */
export async function bootBrowserWorld(env: Record<string, string> = {}): Promise<BrowserWorld> {
  const db = await createTestDatabase();
  // A known port, so the verification URL inside certificates' QR codes is reachable.
  const port = 41000 + Math.floor(Math.random() * 4000);
  const app = await createApp(
    testConfig(db.url, { DEMO_DATA: 'true', PUBLIC_URL: `http://127.0.0.1:${port}`, ...env }),
    sectors,
  );
  await app.listen(port, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-gpu',
    ],
  });
  const login = async (username: string) => {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    });
    return ((await res.json()) as { accessToken: string }).accessToken;
  };
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && {
          'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
        }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    expect(res.status).toBeLessThan(300);
    return res.json();
  };
  return {
    db,
    app,
    browser,
    base,
    login,
    call,
    close: async () => {
      await browser.close();
      await app.close();
      await db.drop();
    },
  };
}

/**
 * A certificate for the holder through an approval-only scheme of health, as a journey needs
 * one without sitting an exam: the admin creates and activates the scheme and approves them.
 */
export async function certifyByApproval(
  call: BrowserWorld['call'],
  admin: string,
  holderToken: string,
  scheme: { code: string; title: string; notes: string },
): Promise<void> {
  const holder = await call(holderToken, 'GET', '/api/v1/me');
  const created = await call(admin, 'POST', '/api/v1/certification-schemes', {
    sector: 'health',
    code: scheme.code,
    title: scheme.title,
    requirements: { courses: [], assessments: [], approval: true, rules: [] },
    attests: [{ competencyCode: 'M.1', level: 2 }],
    validityMonths: 24,
  });
  await call(admin, 'POST', `/api/v1/certification-schemes/${created.id}/activate`, {
    confirm: 0,
  });
  await call(admin, 'POST', `/api/v1/certification-schemes/${created.id}/approvals/${holder.id}`, {
    approved: true,
    notes: scheme.notes,
  });
  await call(holderToken, 'POST', '/api/v1/me/schemes/check');
}
