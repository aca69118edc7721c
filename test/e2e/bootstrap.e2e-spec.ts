import { User } from '../../src/identity/user.entity.js';
import { OrgUnit } from '../../src/identity/org-unit.entity.js';
import { DEMO_PASSWORD } from '../../src/people/bootstrap.service.js';
import { bootTestApp, engine } from '../helpers/test-app.js';

describe(`first admin and demo data (${engine})`, () => {
  it('creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD and demo accounts once, idempotently', async () => {
    const env = {
      ADMIN_EMAIL: 'kepala@bkpsdm.example',
      ADMIN_PASSWORD: 'Rahasia-Kepala-BKPSDM',
      DEMO_DATA: 'true',
    };
    const t = await bootTestApp({ env });
    try {
      const login = await t.http
        .post('/api/v1/auth/login')
        .send({ username: 'kepala@bkpsdm.example', password: 'Rahasia-Kepala-BKPSDM' })
        .expect(200);
      expect(login.body.user.role).toBe('admin');
      const asn = await t.http
        .post('/api/v1/auth/login')
        .send({ username: '199003152015032001', password: DEMO_PASSWORD })
        .expect(200);
      expect(asn.body.user.orgUnit).toEqual({ code: 'DINKES', name: 'Dinas Kesehatan' });
      const coordinator = await t.http
        .post('/api/v1/auth/login')
        .send({ username: 'koordinator.education@demo.sertifikasi.id', password: DEMO_PASSWORD })
        .expect(200);
      expect(coordinator.body.user.sectors).toEqual(['education']);
      // The demo puts its people on the sector pack's positions, never on a namesake (ADR 0028).
      expect(asn.body.user.position).toEqual({
        code: 'KES-PERAWAT-AP',
        name: 'Perawat Ahli Pertama',
      });
      const positions = await t.dataSource.query(
        `SELECT code FROM positions WHERE code IN ('PERAWAT-AP', 'GURU-AP', 'PRANATA-KOMPUTER-AP')`,
      );
      expect(positions).toEqual([]);
      const gaps = await t.as(asn.body.accessToken).get('/api/v1/me/gaps').expect(200);
      expect(gaps.body.summary).toEqual({ required: 5, met: 2, percentMet: 40, totalGap: 5 });

      // Booting again on the same database adds nothing.
      const users = await t.dataSource.getRepository(User).count();
      const units = await t.dataSource.getRepository(OrgUnit).count();
      const { BootstrapService } = await import('../../src/people/bootstrap.service.js');
      await t.app.get(BootstrapService).onApplicationBootstrap();
      expect(await t.dataSource.getRepository(User).count()).toBe(users);
      expect(await t.dataSource.getRepository(OrgUnit).count()).toBe(units);
    } finally {
      await t.close();
    }
  });
});
