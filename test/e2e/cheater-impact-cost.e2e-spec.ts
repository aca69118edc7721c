import { randomBytes, randomUUID } from 'node:crypto';
import { Certificate } from '../../src/certification/certification.entity.js';
import { DevelopmentPlan, DevelopmentPlanItem } from '../../src/development/development.entity.js';
import { anApprovalScheme } from '../helpers/schemes.js';
import { bootTestApp, engine, TestApp } from '../helpers/test-app.js';

const YEAR = new Date().getUTCFullYear();

describe(`cheater: a revoked certificate does not cheapen the impact report's cost per certificate (${engine})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp();
  });
  afterAll(() => t.close());

  it('a revoked certificate is not a realised plan item: its cost is not in the cost per certificate', async () => {
    const admin = await t.signIn('admin');
    const scheme = await anApprovalScheme(t, admin.token, {
      code: 'RV-COST',
      title: 'Skema biaya',
      validityMonths: 36,
    });
    const now = new Date(Date.UTC(YEAR, 5, 1, 8));
    for (const status of ['active', 'revoked'] as const) {
      const user = await t.createUser('asn');
      const planId = randomUUID();
      await t.dataSource.getRepository(DevelopmentPlan).insert({
        id: planId,
        userId: user.id,
        year: YEAR,
        status: 'agreed',
        returnReason: null,
        submittedAt: now,
        decidedAt: now,
        decidedById: null,
        decidedAsAdmin: false,
        createdAt: now,
        updatedAt: now,
      });
      await t.dataSource.getRepository(DevelopmentPlanItem).insert({
        id: randomUUID(),
        planId,
        kind: 'scheme',
        refId: scheme.id,
        code: scheme.code,
        title: scheme.title,
        sector: 'health',
        competencyCode: null,
        jp: 0,
        costIdr: 5_000_000,
        deliveryMode: null,
        status: 'planned',
        doneAt: null,
        origin: 'added',
        reason: null,
        position: 0,
        createdAt: now,
        updatedAt: now,
      } as never);
      const tag = randomBytes(4).toString('hex');
      await t.dataSource.getRepository(Certificate).insert({
        id: randomUUID(),
        schemeId: scheme.id,
        userId: user.id,
        number: `RC/${tag}`,
        year: YEAR,
        seq: 1,
        code: `RC${tag}`,
        issueKey: `rc:${tag}`,
        status,
        issuedAt: now,
        expiresAt: null,
        revokedAt: status === 'revoked' ? now : null,
        revokedReason: status === 'revoked' ? 'Kecurangan' : null,
        renewsId: null,
        renewedById: null,
        holderName: 'X',
        holderNip: null,
        statusIndex: null,
        snapshot: {
          schemeCode: scheme.code,
          schemeTitle: scheme.title,
          sector: 'health',
          sectorName: 'Kesehatan',
          competencies: [],
        },
      });
    }
    const body = (
      await t.as(admin.token).get('/api/v1/reports/impact').query({ year: YEAR }).expect(200)
    ).body;
    const row = body.schemes.find((s: { code: string }) => s.code === 'RV-COST');
    // One valid certificate, planned at Rp 5.000.000: that is the cost per certificate.
    expect({ completed: row.completed, costPerCertificateIdr: row.costPerCertificateIdr }).toEqual({
      completed: 1,
      costPerCertificateIdr: 5_000_000,
    });
  });
});
