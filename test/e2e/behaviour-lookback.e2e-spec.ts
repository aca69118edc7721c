import { randomBytes, randomUUID } from 'node:crypto';
import { Certificate, CertificationScheme } from '../../src/certification/certification.entity.js';
import { Evaluation } from '../../src/development/development.entity.js';
import { BehaviourEvaluationJob } from '../../src/development/evaluations/behaviour-evaluation.job.js';
import { User } from '../../src/identity/user.entity.js';
import { Clock } from '../../src/platform/clock.js';
import { anApprovalScheme } from '../helpers/schemes.js';
import { passTime } from '../helpers/study.js';
import { bootTestApp, engine, type TestApp } from '../helpers/test-app.js';

const DAY = 86_400;

describe(`behaviour questionnaires of the longest evaluationDays (${engine})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp();
  });
  afterAll(() => t.close());

  it.each([
    [700, 'RV-700'],
    [730, 'RV-730'],
  ])(
    'a scheme with evaluationDays %i still sends its questionnaires (730 is the allowed maximum)',
    async (days, code) => {
      const admin = await t.signIn('admin');
      const supervisor = await t.signIn('asn', { name: `Atasan ${days}` });
      const holder = await t.signIn('asn', { name: `Pemegang ${days}` });
      await t.dataSource
        .getRepository(User)
        .update({ id: holder.user.id }, { supervisorId: supervisor.user.id });
      const scheme = await anApprovalScheme(t, admin.token, {
        code,
        title: 'Skema 730 hari',
        validityMonths: 60,
      });
      // The largest value the scheme form accepts (certification.dto.ts @Max(730)).
      await t.dataSource
        .getRepository(CertificationScheme)
        .update({ id: scheme.id }, { evaluationDays: days });
      const certificateId = randomUUID();
      const tag = randomBytes(4).toString('hex');
      const now = t.app.get(Clock).now();
      await t.dataSource.getRepository(Certificate).insert({
        id: certificateId,
        schemeId: scheme.id,
        userId: holder.user.id,
        number: `RV/${tag}`,
        year: now.getUTCFullYear(),
        seq: 1,
        code: `RV${tag}`,
        issueKey: `rv:${tag}`,
        status: 'active',
        issuedAt: now,
        expiresAt: null,
        revokedAt: null,
        revokedReason: null,
        renewsId: null,
        renewedById: null,
        holderName: 'Pemegang',
        holderNip: null,
        statusIndex: null,
        snapshot: {
          schemeCode: scheme.code,
          schemeTitle: scheme.title,
          sector: 'health',
          sectorName: 'Kesehatan',
          competencies: [{ code: 'M.1', title: 'Integritas', level: 2 }],
        },
      });
      // The daily job's first run after the 730 days falls an hour later.
      passTime(t.app, days * DAY + 3600);
      await t.app.get(BehaviourEvaluationJob).run();
      const sent = await t.dataSource.getRepository(Evaluation).countBy({ certificateId });
      expect({ questionnairesSent: sent }).toEqual({ questionnairesSent: 2 });
    },
  );
});
