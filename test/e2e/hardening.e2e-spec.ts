import { generateKeyPairSync } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent.js';
import type { Response } from 'supertest';
import type { User } from '../../src/identity/user.entity.js';
import { aNip } from '../helpers/nip.js';
import { Browser, cookiesOf } from '../helpers/browser.js';
import {
  bootTestApp,
  csrfOf,
  engine,
  signInAgent,
  TEST_PASSWORD,
  type TestApp,
  asBytes,
} from '../helpers/test-app.js';
import { activateScheme } from '../helpers/schemes.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script>');
const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><script>alert(1)</script></svg>',
);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
/** Starts as a PDF, goes on as a web page: what a sniffing browser would render. */
const POLYGLOT = Buffer.concat([Buffer.from('%PDF-1.4\n'), HTML]);
const GIFT = [
  '::H1:: Cuci tangan sebelum kontak pasien. {T}',
  '::H2:: Sarung tangan menggantikan cuci tangan. {F}',
].join('\n\n');

/** The directives of a Content-Security-Policy header, by name. */
function directives(csp: string | undefined): Map<string, string[]> {
  return new Map(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name.toLowerCase(), values] as [string, string[]]),
  );
}

/** What is wrong with the security headers of a response (an empty list when nothing is). */
function headerProblems(res: Response, signedIn: boolean): string[] {
  const problems: string[] = [];
  const csp = directives(res.headers['content-security-policy']);
  const expect = (ok: boolean, what: string) => ok || problems.push(what);
  for (const [name, values] of [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    ['script-src-attr', ["'none'"]],
    ['style-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['form-action', ["'self'"]],
    ['frame-ancestors', ["'none'"]],
  ] as const)
    expect(
      JSON.stringify(csp.get(name)) === JSON.stringify(values),
      `CSP ${name} is ${csp.get(name)?.join(' ') ?? 'missing'}, not ${values.join(' ')}`,
    );
  for (const values of csp.values())
    expect(
      !values.some((v) => ["'unsafe-inline'", "'unsafe-eval'", '*'].includes(v)),
      `CSP allows ${values.join(' ')}`,
    );
  expect(res.headers['x-content-type-options'] === 'nosniff', 'no X-Content-Type-Options');
  expect(/^(DENY|SAMEORIGIN)$/.test(res.headers['x-frame-options'] ?? ''), 'no X-Frame-Options');
  expect(!!res.headers['referrer-policy'], 'no Referrer-Policy');
  expect(/max-age=\d{7,}/.test(res.headers['strict-transport-security'] ?? ''), 'no HSTS');
  expect(res.headers['cross-origin-opener-policy'] === 'same-origin', 'no COOP');
  if (signedIn) expect(res.headers['cache-control'] === 'no-store', 'a private page is cached');
  return problems;
}

/** Markup that a strict CSP would block: inline scripts, styles, event handlers, javascript: links. */
function markupProblems(html: string): string[] {
  const problems: string[] = [];
  for (const [tag] of html.matchAll(/<[a-z][^>]*>/gi)) {
    if (/^<script\b/i.test(tag) && !/\ssrc=/i.test(tag)) problems.push(`inline script ${tag}`);
    if (/^<style\b/i.test(tag)) problems.push('inline <style>');
    if (/\sstyle\s*=/i.test(tag)) problems.push(`style attribute ${tag}`);
    if (/\son[a-z]+\s*=/i.test(tag)) problems.push(`event handler ${tag}`);
    if (/\s(href|src|action|formaction)\s*=\s*["']?\s*javascript:/i.test(tag))
      problems.push(`javascript: URL ${tag}`);
  }
  return problems;
}

interface PostForm {
  page: string;
  action: string;
}

/** The POST forms of a page; each must carry a CSRF token (a field, or in its action URLs). */
function postForms(page: string, html: string): { forms: PostForm[]; problems: string[] } {
  const forms: PostForm[] = [];
  const problems: string[] = [];
  for (const [form, open] of html.matchAll(/(<form\b[^>]*>)[\s\S]*?<\/form>/gi)) {
    if (!/\smethod\s*=\s*["']?post/i.test(open)) continue;
    const action = (/\saction="([^"]*)"/i.exec(open)?.[1] ?? page).replaceAll('&amp;', '&');
    const field = /name="_csrf" value="[^"]{16,}"/.test(form);
    const targets = [action, ...[...form.matchAll(/\sformaction="([^"]*)"/gi)].map((m) => m[1])];
    for (const target of targets) {
      if (!field && !/[?&](amp;)?_csrf=[^&"]{16,}/.test(target))
        problems.push(`${page}: a POST form to ${target} has no CSRF token`);
      forms.push({ page, action: target.replaceAll('&amp;', '&') });
    }
  }
  return { forms, problems };
}

/** A path with its record ids and codes replaced, so one page of each kind is enough. */
const shapeOf = (path: string) =>
  path
    .split('/')
    .map((s) =>
      /^[0-9a-f-]{16,}$|^\d+$|^[A-Z0-9][A-Z0-9.-]*$/i.test(s) && /\d/.test(s) ? ':x' : s,
    )
    .join('/');

/** Links a crawler follows: pages of this site, not files, exports, the API or anchors. */
function linksOf(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*\shref="([^"#]*)/gi)]
    .map((m) => m[1].replaceAll('&amp;', '&'))
    .filter(
      (href) =>
        href.startsWith('/') &&
        !href.startsWith('//') &&
        !/^\/(api|assets|health|metrics)\b/.test(href) &&
        !/\/(pdf|kredensial\.(jwt|json)|unduh)\b|format=/.test(href),
    );
}

describe(`hardening (${engine})`, () => {
  let t: TestApp;
  const users = {} as Record<'admin' | 'coordinator' | 'asn', User & { email: string }>;
  const ids = {} as Record<
    'course' | 'fileLesson' | 'assessment' | 'attempt' | 'certificate' | 'code' | 'evidence',
    string
  >;
  let coordinatorToken: string;
  let asnToken: string;
  let adminToken: string;

  beforeAll(async () => {
    t = await bootTestApp();
    for (const role of ['admin', 'coordinator', 'asn'] as const) {
      const user = await t.createUser(role, {
        sectors: role === 'coordinator' ? ['health'] : [],
        ...(role === 'asn' && { nip: aNip(41), name: 'Rina Hardiyanti' }),
      });
      users[role] = user as User & { email: string };
    }
    adminToken = await t.tokenFor(users.admin);
    coordinatorToken = await t.tokenFor(users.coordinator);
    asnToken = await t.tokenFor(users.asn);
    const as = (token: string) => ({
      post: (url: string) => t.as(token).post(url),
    });
    const coordinator = as(coordinatorToken);

    // A course with a file lesson (a PDF), published; the ASN enrolled.
    ids.course = (
      await coordinator
        .post('/api/v1/courses')
        .send({ sector: 'health', code: 'KES-AMAN', title: 'Keamanan berkas', jp: 2 })
        .expect(201)
    ).body.id;
    await coordinator
      .post(`/api/v1/courses/${ids.course}/lessons`)
      .send({ title: 'Pengantar', kind: 'markdown', body: '# Pengantar\n\nIsi pelajaran.' })
      .expect(201);
    ids.fileLesson = (
      await coordinator
        .post(`/api/v1/courses/${ids.course}/lessons`)
        .send({ title: 'Formulir', kind: 'file' })
        .expect(201)
    ).body.id;
    await coordinator
      .post(`/api/v1/courses/${ids.course}/lessons/${ids.fileLesson}/file`)
      .attach('file', PDF, 'formulir.pdf')
      .expect(200);
    await coordinator.post(`/api/v1/courses/${ids.course}/publish`).expect(200);
    // A draft with a file lesson (its editing forms), and a course the ASN has not joined.
    const draft = (
      await coordinator
        .post('/api/v1/courses')
        .send({ sector: 'health', code: 'KES-DRAF', title: 'Draf', jp: 1 })
        .expect(201)
    ).body.id;
    for (const kind of ['file', 'markdown'])
      await coordinator
        .post(`/api/v1/courses/${draft}/lessons`)
        .send({ title: `Pelajaran ${kind}`, kind, body: '# Isi' })
        .expect(201);
    const other = (
      await coordinator
        .post('/api/v1/courses')
        .send({ sector: 'health', code: 'KES-LAIN', title: 'Pelatihan lain', jp: 1 })
        .expect(201)
    ).body.id;
    await coordinator
      .post(`/api/v1/courses/${other}/lessons`)
      .send({ title: 'Isi', kind: 'markdown', body: 'Isi' })
      .expect(201);
    await coordinator.post(`/api/v1/courses/${other}/publish`).expect(200);

    // An exam and a scheme it earns; the ASN passes it (a certificate) and starts again.
    const bankId = (
      await coordinator
        .post('/api/v1/question-banks')
        .send({ name: 'Bank Keamanan', sector: 'health' })
        .expect(201)
    ).body.id;
    await coordinator
      .post(`/api/v1/question-banks/${bankId}/import?format=gift`)
      .set('content-type', 'text/plain')
      .send(GIFT)
      .expect(200);
    ids.assessment = (
      await coordinator
        .post('/api/v1/assessments')
        .send({
          title: 'Ujian Keamanan',
          sector: 'health',
          passPercent: 50,
          maxAttempts: 0,
          shuffle: false,
          sections: [{ bankId, count: 2 }],
        })
        .expect(201)
    ).body.id;
    await coordinator.post(`/api/v1/assessments/${ids.assessment}/publish`).expect(200);
    // One the ASN has not started (its start form).
    const notStarted = (
      await coordinator
        .post('/api/v1/assessments')
        .send({ title: 'Ujian Lain', sector: 'health', sections: [{ bankId, count: 1 }] })
        .expect(201)
    ).body.id;
    await coordinator.post(`/api/v1/assessments/${notStarted}/publish`).expect(200);
    // It attests a national competency: the admin's to set (ADR 0012).
    const created = await as(adminToken)
      .post('/api/v1/certification-schemes')
      .send({
        sector: 'health',
        code: 'AMAN-DASAR',
        title: 'Keamanan Dasar',
        requirements: { assessments: [{ assessmentId: ids.assessment, minPercent: 100 }] },
        attests: [{ competencyCode: 'M.1', level: 2 }],
        validityMonths: 12,
      })
      .expect(201);
    await activateScheme(t, adminToken, created.body.id);
    const asn = as(asnToken);
    const sit = async () => {
      const attempt = (await asn.post(`/api/v1/assessments/${ids.assessment}/attempts`).expect(201))
        .body as { id: string; items: { slot: number; stem: string }[] };
      for (const item of attempt.items)
        await t
          .as(asnToken)
          .put(`/api/v1/attempts/${attempt.id}/answers/${item.slot}`)
          .send({ response: item.stem.includes('sebelum kontak') })
          .expect(200);
      return attempt.id;
    };
    await asn.post(`/api/v1/attempts/${await sit()}/submit`).expect(200);
    ids.attempt = await sit();
    await asn.post(`/api/v1/courses/${ids.course}/enrollments`).send({}).expect(201);
    const [certificate] = (await t.as(asnToken).get('/api/v1/me/certificates').expect(200)).body;
    ids.certificate = certificate.id;
    ids.code = certificate.code;

    // Evidence an admin recorded by hand, with a PDF attached.
    ids.evidence = (
      await t
        .as(adminToken)
        .post(`/api/v1/users/${users.asn.id}/evidence`)
        .send({ competencyCode: 'M.2', level: 2, reason: 'Diamati langsung di tempat kerja' })
        .expect(201)
    ).body.id;
    await t
      .as(adminToken)
      .post(`/api/v1/evidence/${ids.evidence}/attachment`)
      .attach('file', PDF, 'bukti.pdf')
      .expect(200);
  });
  afterAll(() => t.close());

  /** Every page a role reaches by following links from its home page, and their POST forms. */
  async function crawl(agent: TestAgent, start: string[], limit = 120) {
    const queue = [...start];
    const seen = new Set<string>();
    const visited: string[] = [];
    const problems: string[] = [];
    const forms: PostForm[] = [];
    while (queue.length && visited.length < limit) {
      const url = queue.shift()!;
      const shape = shapeOf(url.split('?')[0]);
      if (seen.has(shape)) continue;
      seen.add(shape);
      const res = await agent.get(url).redirects(0);
      if (res.status >= 300 && res.status < 400) continue;
      visited.push(`${res.status} ${url}`);
      if (res.status >= 500) problems.push(`${url}: ${res.status}`);
      if (!/text\/html/.test(res.headers['content-type'] ?? '')) continue;
      problems.push(...headerProblems(res, true).map((p) => `${url}: ${p}`));
      problems.push(...markupProblems(res.text).map((p) => `${url}: ${p}`));
      const found = postForms(url, res.text);
      problems.push(...found.problems);
      forms.push(...found.forms);
      queue.push(...linksOf(res.text));
    }
    return { visited, problems, forms };
  }

  const extraPages: Record<'admin' | 'coordinator' | 'asn', () => string[]> = {
    admin: () => [
      '/beranda',
      `/admin/pengguna/${users.asn.id}`,
      '/admin/pengguna/baru',
      '/ganti-sandi',
      '/halaman-yang-tidak-ada',
    ],
    coordinator: () => [
      '/beranda',
      `/kelola/pelatihan/${ids.course}`,
      `/kelola/ujian/${ids.assessment}`,
      `/kelola/ujian/${ids.assessment}/peserta`,
      `/kelola/ujian/${ids.assessment}/pratinjau`,
      '/kelola/penilaian',
      '/admin/pengguna',
    ],
    asn: () => [
      '/beranda',
      `/pelatihan/${ids.course}`,
      `/ujian/${ids.assessment}`,
      `/ujian/percobaan/${ids.attempt}`,
      `/ujian/percobaan/${ids.attempt}/kumpulkan`,
      `/sertifikat/${ids.certificate}`,
      '/admin/pengguna',
    ],
  };

  for (const role of ['admin', 'coordinator', 'asn'] as const)
    it(`every page of the ${role} carries the security headers and a strict CSP it does not break, and every POST form a CSRF token that is required`, async () => {
      const { agent } = await signInAgent(t, users[role].email);
      const { visited, problems, forms } = await crawl(agent, extraPages[role]());
      expect(problems).toEqual([]);
      // The walk reached the role's pages (the error pages too), and found forms to check.
      expect(visited.length).toBeGreaterThanOrEqual(role === 'admin' ? 20 : 8);
      expect(visited.some((v) => v.startsWith('404 ') || v.startsWith('403 '))).toBe(true);
      expect(forms.length).toBeGreaterThan(role === 'asn' ? 3 : 6);

      // Each distinct form target refuses a post without its token, and with a forged one.
      const targets = new Map<string, PostForm>();
      for (const form of forms) {
        const action = form.action.replace(/([?&])_csrf=[^&]*&?/, '$1').replace(/[?&]$/, '');
        targets.set(shapeOf(action.split('?')[0]), { ...form, action });
      }
      const accepted: string[] = [];
      for (const { page, action } of targets.values()) {
        const bare = await agent.post(action).type('form').send({ probe: '1' }).redirects(0);
        const forged = await agent
          .post(action)
          .type('form')
          .send({ _csrf: 'forged-token-forged-token', probe: '1' })
          .redirects(0);
        for (const res of [bare, forged])
          if (res.status !== 403) accepted.push(`${action} (from ${page}): ${res.status}`);
      }
      expect(accepted).toEqual([]);
    });

  it('public pages carry the same headers; the login form needs its token too', async () => {
    const problems: string[] = [];
    for (const url of ['/', '/masuk', '/verify', `/verify/${ids.code}`, '/verify/TIDAKADA']) {
      const res = await t.http.get(url).redirects(0);
      expect([200, 404]).toContain(res.status);
      problems.push(...headerProblems(res, false).map((p) => `${url}: ${p}`));
      problems.push(...markupProblems(res.text).map((p) => `${url}: ${p}`));
      problems.push(...postForms(url, res.text).problems);
    }
    expect(problems).toEqual([]);
    // Without the token a correct password does not sign anyone in (login CSRF).
    const login = await t.http
      .post('/masuk')
      .type('form')
      .send({ username: users.asn.email, password: TEST_PASSWORD })
      .redirects(0);
    expect(login.status).toBe(403);
    expect(cookiesOf(login).map((c) => c.name)).not.toContain('sa_access');
    // The API documentation: scripts from the app only; its inline styles are allowed there alone.
    const docs = await t.http.get('/api/docs').expect(200);
    expect(markupProblems(docs.text).filter((p) => /script|handler|javascript/.test(p))).toEqual(
      [],
    );
    const docsCsp = directives(docs.headers['content-security-policy']);
    expect(docsCsp.get('script-src')).toEqual(["'self'"]);
    expect(docsCsp.get('script-src-attr')).toEqual(["'none'"]);
    if (markupProblems(docs.text).some((p) => /style/.test(p)))
      expect(docsCsp.get('style-src')).toContain("'unsafe-inline'");
    // …and nowhere else: the JSON it reads and every other response keep the strict policy.
    for (const url of ['/api/docs-json', '/api/v1/sectors', '/masuk'])
      expect(
        directives((await t.http.get(url)).headers['content-security-policy']).get('style-src'),
      ).toEqual(["'self'"]);
    expect(docs.headers['x-content-type-options']).toBe('nosniff');
  });

  it('the autosave and the API: no write rides on the cookie alone', async () => {
    const { agent } = await signInAgent(t, users.asn.email);
    const exam = await agent.get(`/ujian/percobaan/${ids.attempt}`).expect(200);
    const url = `/ujian/percobaan/${ids.attempt}/jawaban/1`;
    await agent.put(url).send({ flagged: true }).expect(403);
    await agent
      .put(url)
      .set('x-csrf-token', 'forged-token-forged')
      .send({ flagged: true })
      .expect(403);
    await agent.put(url).set('x-csrf-token', csrfOf(exam.text)).send({ flagged: true }).expect(200);
    // The API reads the cookie for downloads, but a write needs the Bearer header.
    await agent.get('/api/v1/me').expect(200);
    await agent
      .put(`/api/v1/attempts/${ids.attempt}/answers/1`)
      .send({ flagged: false })
      .expect(401);
    await agent.post(`/api/v1/attempts/${ids.attempt}/submit`).expect(401);
  });

  it('session cookies are httpOnly and SameSite=Lax, and not Secure outside production', async () => {
    const form = await t.http.get('/masuk').expect(200);
    const csrfCookie = cookiesOf(form).find((c) => c.name === 'sa_csrf')!;
    const res = await t.http
      .post('/masuk')
      .set('cookie', `sa_csrf=${csrfCookie.value}`)
      .type('form')
      .send({ _csrf: csrfOf(form.text), username: users.asn.email, password: TEST_PASSWORD })
      .expect(303);
    // The login drops the CSRF secret, so the new session's pages make a new one (ADR 0015).
    const dropped = cookiesOf(res).filter((c) => c.value === '');
    expect(dropped.map((c) => c.name)).toEqual(['sa_csrf']);
    const cookies = [csrfCookie, ...cookiesOf(res)];
    expect(cookies.map((c) => c.name).sort()).toEqual([
      'sa_access',
      'sa_csrf',
      'sa_csrf',
      'sa_refresh',
    ]);
    for (const cookie of cookies) {
      expect([cookie.name, cookie.attributes.has('httponly')]).toEqual([cookie.name, true]);
      expect([cookie.name, cookie.attributes.get('samesite')?.toLowerCase()]).toEqual([
        cookie.name,
        'lax',
      ]);
      expect([cookie.name, cookie.attributes.has('secure')]).toEqual([cookie.name, false]);
    }
  });

  describe('uploaded files', () => {
    const lessonUpload = async (content: Buffer, name: string) => {
      const course = (
        await t
          .as(coordinatorToken)
          .post('/api/v1/courses')
          .send({ sector: 'health', code: `KES-U${Date.now() % 100000}`, title: 'Unggah', jp: 1 })
          .expect(201)
      ).body.id;
      const lesson = (
        await t
          .as(coordinatorToken)
          .post(`/api/v1/courses/${course}/lessons`)
          .send({ title: 'Berkas', kind: 'file' })
          .expect(201)
      ).body.id;
      const res = await t
        .as(coordinatorToken)
        .post(`/api/v1/courses/${course}/lessons/${lesson}/file`)
        .attach('file', content, name);
      return { res, lesson };
    };
    const download = (url: string, token: string) =>
      t.as(token).get(url).buffer(true).parse(asBytes);

    it('a web page or an SVG is refused as a lesson file or as evidence, whatever its name', async () => {
      for (const [content, name] of [
        [HTML, 'materi.html'],
        [HTML, 'materi.htm'],
        [HTML, 'materi.pdf'],
        [SVG, 'diagram.svg'],
        [SVG, 'diagram.png'],
        [PNG, 'diagram.svg'],
        [POLYGLOT, 'materi.html'],
        [POLYGLOT, 'materi.svg'],
      ] as const) {
        const { res } = await lessonUpload(content, name);
        expect([name, res.status]).toEqual([name, 400]);
        expect(res.body.errors[0].field).toBe('file');
      }
      for (const [content, type] of [
        [HTML, 'application/octet-stream'],
        [SVG, 'application/octet-stream'],
      ] as const)
        await t
          .as(adminToken)
          .post(`/api/v1/evidence/${ids.evidence}/attachment`)
          .set('content-type', type)
          .send(content)
          .expect(400);
      for (const type of ['text/html', 'image/svg+xml'])
        expect([400, 415]).toContain(
          (
            await t
              .as(adminToken)
              .post(`/api/v1/evidence/${ids.evidence}/attachment`)
              .set('content-type', type)
              .send(SVG.toString())
          ).status,
        );
      await t
        .as(adminToken)
        .post(`/api/v1/evidence/${ids.evidence}/attachment`)
        .attach('file', HTML, 'bukti.html')
        .expect(400);
    });

    it('what is stored is served as a download: attachment, its own type, nosniff, never HTML', async () => {
      // A PDF that carries a web page after its header is stored (it is a PDF), and comes back
      // as a PDF download a browser will not sniff into a page.
      const { res, lesson } = await lessonUpload(POLYGLOT, 'materi.pdf');
      expect(res.status).toBe(200);
      const files: [string, string][] = [
        [`/api/v1/lessons/${lesson}/file`, coordinatorToken],
        [`/api/v1/lessons/${ids.fileLesson}/file`, asnToken],
        [`/api/v1/evidence/${ids.evidence}/attachment`, asnToken],
        [`/api/v1/certificates/${ids.certificate}/pdf`, asnToken],
        [`/sertifikat/${ids.certificate}/pdf`, asnToken],
        [`/sertifikat/${ids.certificate}/kredensial.jwt`, asnToken],
        [`/sertifikat/${ids.certificate}/kredensial.json`, asnToken],
      ];
      for (const [url, token] of files) {
        const file = await download(url, token).expect(200);
        const type = file.headers['content-type'];
        expect([url, type]).not.toEqual([url, expect.stringMatching(/html|svg|xml|javascript/)]);
        expect([url, file.headers['content-disposition']]).toEqual([
          url,
          expect.stringMatching(/^attachment; filename="[\w .-]+"$/),
        ]);
        expect([url, file.headers['x-content-type-options']]).toEqual([url, 'nosniff']);
        expect(file.headers['content-security-policy']).toContain("default-src 'self'");
      }
      const polyglot = await download(`/api/v1/lessons/${lesson}/file`, coordinatorToken);
      expect(polyglot.headers['content-type']).toBe('application/pdf');
      expect((polyglot.body as Buffer).equals(POLYGLOT)).toBe(true);
      // The lesson page links to the download, never embeds it.
      const { agent } = await signInAgent(t, users.asn.email);
      const lessonPage = await agent
        .get(`/pelatihan/${ids.course}/pelajaran/${ids.fileLesson}`)
        .expect(200);
      expect(lessonPage.text).toContain(`href="/api/v1/lessons/${ids.fileLesson}/file"`);
      expect(lessonPage.text).not.toMatch(/<(iframe|embed|object)\b/);
    });
  });

  // Last in this file: passport keeps the last booted app's strategy for the whole process.
  it('in production every cookie the app sets is Secure, httpOnly and SameSite', async () => {
    const signingKey = JSON.stringify(
      generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }),
    );
    const production = await bootTestApp({
      env: {
        NODE_ENV: 'production',
        SIGNING_KEY: signingKey,
        ALLOW_SQLITE_IN_PRODUCTION: 'true',
        LOG_LEVEL: 'silent',
      },
    });
    try {
      const user = await production.createUser('asn');
      const browser = new Browser([production]);
      const seen: ReturnType<typeof cookiesOf> = [];
      const keep = (res: Response) => (seen.push(...cookiesOf(res)), res);
      const form = keep(await browser.get(0, '/masuk'));
      const res = keep(
        await browser.post(0, '/masuk', {
          _csrf: csrfOf(form.text),
          username: user.email!,
          password: TEST_PASSWORD,
        }),
      );
      expect(res.status).toBe(303);
      expect(headerProblems(res, false)).toEqual([]);
      const home = keep(await browser.get(0, '/beranda'));
      expect(home.status).toBe(200);
      keep(await browser.post(0, '/bahasa', { _csrf: csrfOf(home.text), lang: 'en', next: '/' }));
      keep(await browser.post(0, '/keluar', { _csrf: csrfOf(home.text) }));
      expect(new Set(seen.map((c) => c.name))).toEqual(
        new Set(['sa_csrf', 'sa_access', 'sa_refresh', 'sa_lang', 'sa_flash']),
      );
      for (const cookie of seen) {
        const flags = ['secure', 'httponly'].filter((f) => cookie.attributes.has(f));
        expect([cookie.name, flags, cookie.attributes.get('samesite')?.toLowerCase()]).toEqual([
          cookie.name,
          ['secure', 'httponly'],
          'lax',
        ]);
      }
    } finally {
      await production.close();
    }
  });
});
