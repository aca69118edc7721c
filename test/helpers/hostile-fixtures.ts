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
    await ok(t.as(admin).post('/api/v1/org-units').send({ code: 'DINKES-UJI', name: 'Dinas Uji' }))
  ).id;
  ids.position = (
    await ok(
      t
        .as(admin)
        .post('/api/v1/positions')
        .send({ code: 'PERAWAT-UJI', name: 'Perawat Uji', kind: 'fungsional', sector: 'health' }),
    )
  ).id;
  await ok(
    t
      .as(admin)
      .post(`/api/v1/users/${asnUser.id}/evidence`)
      .send({ competencyCode: 'M.5', level: 2, reason: 'Penilaian atasan langsung' }),
  );
  const evidence = (await ok(
    t.as(admin).get(`/api/v1/users/${asnUser.id}/evidence`),
  )) as unknown as { id: string }[];
  ids.evidence = evidence[0].id;

  ids.bank = (
    await ok(
      t
        .as(coordinator)
        .post('/api/v1/question-banks')
        .send({ name: 'Bank Uji Masukan', sector: 'health' }),
    )
  ).id;
  ids.category = (
    await ok(
      t
        .as(coordinator)
        .post(`/api/v1/question-banks/${ids.bank}/categories`)
        .send({ name: 'Kategori Uji' }),
    )
  ).id;
  await ok(
    t
      .as(coordinator)
      .post(`/api/v1/question-banks/${ids.bank}/import?format=gift`)
      .set('content-type', 'text/plain')
      .send(GIFT),
  );
  const questions = (await ok(
    t.as(coordinator).get(`/api/v1/question-banks/${ids.bank}/questions`),
  )) as unknown as { id: string }[];
  ids.question = questions[0].id;

  ids.assessment = (
    await ok(
      t
        .as(coordinator)
        .post('/api/v1/assessments')
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
  await ok(t.as(coordinator).post(`/api/v1/assessments/${ids.assessment}/publish`));
  // It attests a national competency, which only an admin sets (ADR 0012).
  ids.scheme = (
    await ok(
      t
        .as(admin)
        .post('/api/v1/certification-schemes')
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
    t.as(admin).get(`/api/v1/certification-schemes/${ids.scheme}/activation-preview`),
  );
  await ok(
    t
      .as(admin)
      .post(`/api/v1/certification-schemes/${ids.scheme}/activate`)
      .send({ confirm: preview.count }),
  );

  // The ASN passes (a certificate is issued), then opens a second attempt.
  const passed = await ok(t.as(asn).post(`/api/v1/assessments/${ids.assessment}/attempts`));
  for (const item of passed.items as { slot: number; stem: string }[])
    await ok(
      t
        .as(asn)
        .put(`/api/v1/attempts/${passed.id}/answers/${item.slot}`)
        .send({ response: item.stem.includes('sebelum kontak') }),
    );
  await ok(t.as(asn).post(`/api/v1/attempts/${passed.id}/submit`));
  ids.attempt = (await ok(t.as(asn).post(`/api/v1/assessments/${ids.assessment}/attempts`))).id;
  const certificates = (await ok(t.as(asn).get('/api/v1/me/certificates'))) as unknown as {
    id: string;
    code?: string;
    verificationCode?: string;
  }[];
  if (certificates[0]) {
    ids.certificate = certificates[0].id;
    ids.certificateCode = certificates[0].verificationCode ?? certificates[0].code ?? '';
  }
  const notifications = (await ok(t.as(asn).get('/api/v1/me/notifications'))) as unknown as
    { id: string }[] | { items?: { id: string }[] };
  const notificationList = Array.isArray(notifications)
    ? notifications
    : (notifications.items ?? []);
  if (notificationList[0]) ids.notification = notificationList[0].id;

  ids.course = (
    await ok(
      t
        .as(coordinator)
        .post('/api/v1/courses')
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
      t
        .as(coordinator)
        .post(`/api/v1/courses/${ids.course}/lessons`)
        .send({ title: 'Materi', kind: 'markdown', body: '# Materi\n\nIsi.' }),
    )
  ).id;
  ids.fileLesson = (
    await ok(
      t
        .as(coordinator)
        .post(`/api/v1/courses/${ids.course}/lessons`)
        .send({ title: 'Formulir', kind: 'file' }),
    )
  ).id;
  await ok(
    t
      .as(coordinator)
      .post(`/api/v1/courses/${ids.course}/lessons/${ids.fileLesson}/file`)
      .attach('file', PDF, 'formulir.pdf'),
  );
  await ok(t.as(coordinator).post(`/api/v1/courses/${ids.course}/publish`));
  ids.enrollment = (await ok(t.as(asn).post(`/api/v1/courses/${ids.course}/enrollments`))).id;
  // A session of a supervised copy of the exam: the target of the session routes.
  const supervised = (
    await ok(
      t
        .as(coordinator)
        .post('/api/v1/assessments')
        .send({
          title: 'Ujian Tersupervisi Uji Masukan',
          sector: 'health',
          supervised: true,
          sections: [{ bankId: ids.bank, count: 1 }],
        }),
    )
  ).id;
  await ok(t.as(coordinator).post(`/api/v1/assessments/${supervised}/publish`));
  ids.session = (
    await ok(
      t
        .as(coordinator)
        .post(`/api/v1/assessments/${supervised}/sessions`)
        .send({
          startsAt: new Date(Date.now() - 3_600_000).toISOString(),
          endsAt: new Date(Date.now() + 3_600_000).toISOString(),
          location: 'Lab Uji Masukan',
          capacity: 5,
          proctorIds: [],
        }),
    )
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
    sessions: ids.session,
  };
  const value = byName[name] ?? bySegment[before];
  if (value) return value;
  unknown.add(`${op.path} {${name}}`);
  return randomUUID();
}
