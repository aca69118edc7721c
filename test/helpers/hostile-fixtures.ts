/**
 * The least data that lets every path parameter of the API name a real record, for the
 * hostile-input suites: an admin (who passes every guard, so validation is what is
 * exercised), a health coordinator who authors the content, and an ASN with a certificate,
 * an open attempt, an enrolment and evidence.
 */
import { randomUUID } from 'node:crypto';
import { MailOutbox } from '../../src/certification/mail-outbox.service.js';
import type { Operation } from './hostile.js';
import type { TestApp } from './test-app.js';

const bearer = { type: 'bearer' as const };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const GIFT = [
  '::Q1:: Cuci tangan sebelum kontak pasien. {T}',
  '::Q2:: Sarung tangan menggantikan cuci tangan. {F}',
].join('\n\n');

export interface HostileFixtures {
  admin: string;
  coordinator: string;
  asn: string;
  ids: Record<string, string>;
}

export async function seedHostileFixtures(t: TestApp): Promise<HostileFixtures> {
  const admin = await t.tokenFor(await t.createUser('admin'));
  const coordinator = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
  const asnUser = await t.createUser('asn');
  const asn = await t.tokenFor(asnUser);
  const ok = async (req: PromiseLike<{ status: number; body: unknown; text: string }>) => {
    const res = await req;
    if (res.status >= 300) throw new Error(`fixture request failed: ${res.status} ${res.text}`);
    return res.body as Record<string, unknown> & { id: string };
  };
  const ids: Record<string, string> = { user: asnUser.id, sector: 'health', competency: 'M.1' };

  ids.orgUnit = (
    await ok(
      t.http
        .post('/api/v1/org-units')
        .auth(admin, bearer)
        .send({ code: 'DINKES-UJI', name: 'Dinas Uji' }),
    )
  ).id;
  ids.position = (
    await ok(
      t.http
        .post('/api/v1/positions')
        .auth(admin, bearer)
        .send({ code: 'PERAWAT-UJI', name: 'Perawat Uji', kind: 'fungsional', sector: 'health' }),
    )
  ).id;
  await ok(
    t.http
      .post(`/api/v1/users/${asnUser.id}/evidence`)
      .auth(admin, bearer)
      .send({ competencyCode: 'M.5', level: 2, reason: 'Penilaian atasan langsung' }),
  );
  const evidence = (await ok(
    t.http.get(`/api/v1/users/${asnUser.id}/evidence`).auth(admin, bearer),
  )) as unknown as { id: string }[];
  ids.evidence = evidence[0].id;

  ids.bank = (
    await ok(
      t.http
        .post('/api/v1/question-banks')
        .auth(coordinator, bearer)
        .send({ name: 'Bank Uji Masukan', sector: 'health' }),
    )
  ).id;
  ids.category = (
    await ok(
      t.http
        .post(`/api/v1/question-banks/${ids.bank}/categories`)
        .auth(coordinator, bearer)
        .send({ name: 'Kategori Uji' }),
    )
  ).id;
  await ok(
    t.http
      .post(`/api/v1/question-banks/${ids.bank}/import?format=gift`)
      .auth(coordinator, bearer)
      .set('content-type', 'text/plain')
      .send(GIFT),
  );
  const questions = (await ok(
    t.http.get(`/api/v1/question-banks/${ids.bank}/questions`).auth(coordinator, bearer),
  )) as unknown as { id: string }[];
  ids.question = questions[0].id;

  ids.assessment = (
    await ok(
      t.http
        .post('/api/v1/assessments')
        .auth(coordinator, bearer)
        .send({
          title: 'Ujian Uji Masukan',
          sector: 'health',
          passPercent: 50,
          maxAttempts: 0,
          shuffle: false,
          sections: [{ bankId: ids.bank, count: 2 }],
        }),
    )
  ).id;
  await ok(t.http.post(`/api/v1/assessments/${ids.assessment}/publish`).auth(coordinator, bearer));
  // It attests a national competency, which only an admin sets (ADR 0012).
  ids.scheme = (
    await ok(
      t.http
        .post('/api/v1/certification-schemes')
        .auth(admin, bearer)
        .send({
          sector: 'health',
          code: 'UJI-MASUKAN',
          title: 'Skema Uji Masukan',
          requirements: { assessments: [{ assessmentId: ids.assessment, minPercent: 100 }] },
          attests: [{ competencyCode: 'M.1', level: 3 }],
          validityMonths: 12,
        }),
    )
  ).id;
  // A scheme starts as a draft; it issues once activated with its preview (ADR 0017).
  const preview = await ok(
    t.http
      .get(`/api/v1/certification-schemes/${ids.scheme}/activation-preview`)
      .auth(admin, bearer),
  );
  await ok(
    t.http
      .post(`/api/v1/certification-schemes/${ids.scheme}/activate`)
      .auth(admin, bearer)
      .send({ confirm: preview.count }),
  );

  // The ASN passes (a certificate is issued), then opens a second attempt.
  const passed = await ok(
    t.http.post(`/api/v1/assessments/${ids.assessment}/attempts`).auth(asn, bearer),
  );
  for (const item of passed.items as { slot: number; stem: string }[])
    await ok(
      t.http
        .put(`/api/v1/attempts/${passed.id}/answers/${item.slot}`)
        .auth(asn, bearer)
        .send({ response: item.stem.includes('sebelum kontak') }),
    );
  await ok(t.http.post(`/api/v1/attempts/${passed.id}/submit`).auth(asn, bearer));
  ids.attempt = (
    await ok(t.http.post(`/api/v1/assessments/${ids.assessment}/attempts`).auth(asn, bearer))
  ).id;
  const certificates = (await ok(
    t.http.get('/api/v1/me/certificates').auth(asn, bearer),
  )) as unknown as { id: string; code?: string; verificationCode?: string }[];
  if (certificates[0]) {
    ids.certificate = certificates[0].id;
    ids.certificateCode = certificates[0].verificationCode ?? certificates[0].code ?? '';
  }
  const notifications = (await ok(
    t.http.get('/api/v1/me/notifications').auth(asn, bearer),
  )) as unknown as { id: string }[] | { items?: { id: string }[] };
  const notificationList = Array.isArray(notifications)
    ? notifications
    : (notifications.items ?? []);
  if (notificationList[0]) ids.notification = notificationList[0].id;

  ids.course = (
    await ok(
      t.http
        .post('/api/v1/courses')
        .auth(coordinator, bearer)
        .send({
          sector: 'health',
          code: 'KES-UJI-01',
          title: 'Pelatihan Uji Masukan',
          summary: 'Untuk uji masukan berbahaya.',
          competencies: [{ code: 'M.5', level: 3 }],
          jp: 2,
        }),
    )
  ).id;
  ids.lesson = (
    await ok(
      t.http
        .post(`/api/v1/courses/${ids.course}/lessons`)
        .auth(coordinator, bearer)
        .send({ title: 'Materi', kind: 'markdown', body: '# Materi\n\nIsi.' }),
    )
  ).id;
  ids.fileLesson = (
    await ok(
      t.http
        .post(`/api/v1/courses/${ids.course}/lessons`)
        .auth(coordinator, bearer)
        .send({ title: 'Formulir', kind: 'file' }),
    )
  ).id;
  await ok(
    t.http
      .post(`/api/v1/courses/${ids.course}/lessons/${ids.fileLesson}/file`)
      .auth(coordinator, bearer)
      .attach('file', PDF, 'formulir.pdf'),
  );
  await ok(t.http.post(`/api/v1/courses/${ids.course}/publish`).auth(coordinator, bearer));
  ids.enrollment = (
    await ok(t.http.post(`/api/v1/courses/${ids.course}/enrollments`).auth(asn, bearer))
  ).id;
  // The certificate's mail waits in the outbox; the outbox job (every minute) would mark it
  // skipped (no SMTP in tests) in the middle of the hostile runs. Settle it now.
  await t.app.get(MailOutbox).sendPending();
  return { admin, coordinator, asn, ids };
}

/**
 * The real value for a path parameter, from the segment before it (`/courses/{id}` is a
 * course). Unknown ones get a fresh UUID and are listed, so a new route is noticed.
 */
export function realParam(
  op: Operation,
  name: string,
  ids: Record<string, string>,
  unknown: Set<string>,
): string {
  const segments = op.path.split('/');
  const at = segments.indexOf(`{${name}}`);
  const before = segments[at - 1];
  const byName: Record<string, string | undefined> = {
    lessonId: ids.lesson,
    userId: ids.user,
    slot: '1',
    key: ids.sector,
    report: 'workforce',
  };
  const bySegment: Record<string, string | undefined> = {
    users: ids.user,
    'org-units': ids.orgUnit,
    positions: ids.position,
    competencies: ids.competency,
    evidence: ids.evidence,
    'question-banks': ids.bank,
    questions: ids.question,
    assessments: ids.assessment,
    attempts: ids.attempt,
    'certification-schemes': ids.scheme,
    certificates: ids.certificate,
    verify: ids.certificateCode,
    notifications: ids.notification,
    courses: ids.course,
    lessons: ids.fileLesson,
    enrollments: ids.enrollment,
    sectors: ids.sector,
  };
  const value = byName[name] ?? bySegment[before];
  if (value) return value;
  unknown.add(`${op.path} {${name}}`);
  return randomUUID();
}
