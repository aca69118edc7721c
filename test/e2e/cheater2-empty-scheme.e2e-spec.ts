import { CertificateIssuer } from '../../src/certification/certificate-issuer.js';
import { CertificationScheme } from '../../src/certification/certification.entity.js';
import type { User } from '../../src/identity/user.entity.js';
import { activateScheme } from '../helpers/schemes.js';
import { aSectorCompetency } from '../helpers/sector-world.js';
import { bootTestApp, csrfOf, engine, signInAgent, TestApp } from '../helpers/test-app.js';

/**
 * The cheater suite, schemes (issue 31, item 1): a careless or dishonest coordinator creates a
 * scheme with only a sector, a code, a title and what it attests. Before ADR 0017 it was active
 * at once and certified anyone at their next trigger (an unrelated course, a recorded
 * evidence), and the catch-up extended it to everyone with a trigger in the last day. Now a
 * scheme is a draft until it has a real requirement and is activated with a confirmed preview.
 */
describe(`cheater2: an empty scheme certifies everyone (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  let coordinator: string;
  let educationCoordinator: string;
  let coordinatorUser: User;
  let seq = 0;
  const attests = [{ competencyCode: 'KES.PPI', level: 3 }];

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await t.tokenFor(await t.createUser('admin'));
    await aSectorCompetency(t, admin, 'health', 'KES.PPI');
    coordinatorUser = await t.createUser('coordinator', { sectors: ['health'] });
    coordinator = await t.tokenFor(coordinatorUser);
    educationCoordinator = await t.tokenFor(
      await t.createUser('coordinator', { sectors: ['education'] }),
    );
  });
  afterAll(() => t.close());

  const code = (prefix: string) => `${prefix}-${++seq}`;

  async function createScheme(body: Record<string, unknown>, token = coordinator) {
    return (
      await t
        .as(token)
        .post('/api/v1/certification-schemes')
        .send({ sector: 'health', title: 'Skema uji', attests, ...body })
        .expect(201)
    ).body as { id: string; status: string; hasRequirement: boolean };
  }

  /** A sector rule every test can meet on demand: an observed practice recorded by an admin. */
  const observed = (level: number) => ({
    rules: [{ key: 'health.observed-practice', params: { competencyCode: 'M.3', level } }],
  });

  /** A trigger of the kind that certified an unrelated user: evidence recorded for them. */
  async function trigger(user: User, level = 2) {
    await t
      .as(admin)
      .post(`/api/v1/users/${user.id}/evidence`)
      .send({ competencyCode: 'M.3', level, reason: 'Diamati saat simulasi lapangan' })
      .expect(201);
  }

  async function certificatesOf(schemeId: string): Promise<string[]> {
    const rows: { userId: string }[] = await t.dataSource.query(
      'SELECT userId FROM certificates WHERE schemeId = ?',
      [schemeId],
    );
    return rows.map((r) => r.userId);
  }

  const catchUp = () =>
    t.app.get(CertificateIssuer).catchUp(new Date(Date.now() - 24 * 3600 * 1000));

  it('an empty scheme is a draft, cannot be activated (422 naming requirements) nor set active', async () => {
    const empty = await createScheme({ code: code('KOSONG') });
    expect(empty).toMatchObject({ status: 'draft', hasRequirement: false });
    const preview = await t
      .as(coordinator)
      .get(`/api/v1/certification-schemes/${empty.id}/activation-preview`)
      .expect(200);
    expect(preview.body).toMatchObject({ count: 0, hasRequirement: false });
    const refused = await t
      .as(admin)
      .post(`/api/v1/certification-schemes/${empty.id}/activate`)
      .send({ confirm: 0 })
      .expect(422);
    expect(refused.body).toMatchObject({
      code: 'scheme.no_requirement',
      errors: [expect.objectContaining({ field: 'requirements' })],
    });
    expect(refused.body.message).toContain('syarat');
    // A target position alone is not a requirement.
    await t
      .as(coordinator)
      .put(`/api/v1/certification-schemes/${empty.id}`)
      .send({ targetPositions: ['PERAWAT-AHLI'] });
    await t
      .as(admin)
      .post(`/api/v1/certification-schemes/${empty.id}/activate`)
      .send({ confirm: 0 })
      .expect(422);
    // The back door: status through the ordinary write.
    const put = await t
      .as(coordinator)
      .put(`/api/v1/certification-schemes/${empty.id}`)
      .send({ status: 'active' })
      .expect(422);
    expect(put.body).toMatchObject({ errors: [expect.objectContaining({ field: 'status' })] });
    await t
      .as(coordinator)
      .post('/api/v1/certification-schemes')
      .send({
        sector: 'health',
        code: code('KOSONG'),
        title: 'Skema uji',
        attests,
        status: 'active',
      })
      .expect(422);
    expect((await t.as(admin).get(`/api/v1/certification-schemes/${empty.id}`)).body).toMatchObject(
      { status: 'draft' },
    );
  });

  it('an empty scheme certifies nobody on any trigger nor on the catch-up, even if forced active', async () => {
    const empty = await createScheme({ code: code('KOSONG') });
    const bystander = await t.createUser('asn');
    await trigger(bystander);
    await t
      .as(await t.tokenFor(bystander))
      .post('/api/v1/me/schemes/check')
      .expect(200);
    await catchUp();
    expect(await certificatesOf(empty.id)).toEqual([]);
    // "Somehow" active (an old row, a hand edit): the issuing code still refuses.
    await t.dataSource
      .getRepository(CertificationScheme)
      .update({ id: empty.id }, { status: 'active' });
    const another = await t.createUser('asn');
    await trigger(another);
    const checked = await t
      .as(await t.tokenFor(another))
      .post('/api/v1/me/schemes/check')
      .expect(200);
    expect(checked.body.issued).toEqual([]);
    expect(checked.body.schemes.map((s: { id: string }) => s.id)).not.toContain(empty.id);
    await catchUp();
    expect(await certificatesOf(empty.id)).toEqual([]);
  });

  it('a draft with requirements certifies nobody until activated; then the previewed are certified', async () => {
    const draft = await createScheme({ code: code('DRAF'), requirements: observed(2) });
    expect(draft).toMatchObject({ status: 'draft', hasRequirement: true });
    const eligible = await t.createUser('asn', { name: 'Ani Layak' });
    await trigger(eligible);
    await t
      .as(await t.tokenFor(eligible))
      .post('/api/v1/me/schemes/check')
      .expect(200);
    await catchUp();
    expect(await certificatesOf(draft.id)).toEqual([]);
    const notYet = await t.createUser('asn');
    await trigger(notYet, 1);

    const preview = (
      await t
        .as(coordinator)
        .get(`/api/v1/certification-schemes/${draft.id}/activation-preview`)
        .expect(200)
    ).body as { count: number; people: { id: string; name: string; nip: string | null }[] };
    const ids = preview.people.map((p) => p.id);
    expect(ids).toContain(eligible.id);
    expect(ids).not.toContain(notYet.id);
    expect(preview.count).toBe(preview.people.length);
    const activated = await t
      .as(coordinator)
      .post(`/api/v1/certification-schemes/${draft.id}/activate`)
      .send({ confirm: preview.count })
      .expect(200);
    // The preview number is what activation issues, to exactly those it named.
    expect(activated.body).toMatchObject({ issued: preview.count, scheme: { status: 'active' } });
    expect((await certificatesOf(draft.id)).sort()).toEqual([...ids].sort());
    const audit: { action: string }[] = await t.dataSource.query(
      "SELECT action FROM audit_log WHERE entityId = ? AND action = 'scheme.activate'",
      [draft.id],
    );
    expect(audit).toHaveLength(1);
    // Active now: a trigger certifies the next one met, once.
    await trigger(notYet, 2);
    expect(await certificatesOf(draft.id)).toContain(notYet.id);
  });

  it('a stale confirm gets 409 with the new number; another sector cannot activate', async () => {
    const draft = await createScheme({ code: code('BASI'), requirements: observed(4) });
    const first = await t.createUser('asn');
    await trigger(first, 4);
    const before = (
      await t
        .as(admin)
        .get(`/api/v1/certification-schemes/${draft.id}/activation-preview`)
        .expect(200)
    ).body.count as number;
    expect(before).toBeGreaterThanOrEqual(1);
    const second = await t.createUser('asn');
    await trigger(second, 4);
    const stale = await t
      .as(admin)
      .post(`/api/v1/certification-schemes/${draft.id}/activate`)
      .send({ confirm: before })
      .expect(409);
    expect(stale.body).toMatchObject({
      code: 'scheme.stale_confirm',
      details: { count: before + 1 },
    });
    expect(stale.body.message).toContain(`${before + 1}`);
    expect(await certificatesOf(draft.id)).toEqual([]);

    await t
      .as(educationCoordinator)
      .get(`/api/v1/certification-schemes/${draft.id}/activation-preview`)
      .expect(403);
    await t
      .as(educationCoordinator)
      .post(`/api/v1/certification-schemes/${draft.id}/activate`)
      .send({ confirm: before + 1 })
      .expect(403);
    const asn = await t.tokenFor(await t.createUser('asn'));
    await t
      .as(asn)
      .post(`/api/v1/certification-schemes/${draft.id}/activate`)
      .send({ confirm: before + 1 })
      .expect(403);
    expect(await certificatesOf(draft.id)).toEqual([]);
    await t
      .as(admin)
      .post(`/api/v1/certification-schemes/${draft.id}/activate`)
      .send({ confirm: 'semua' })
      .expect(400);
  });

  it('a coordinator cannot activate a scheme that would certify themselves', async () => {
    const self = await t.createUser('coordinator', { sectors: ['health'] });
    const token = await t.tokenFor(self);
    const draft = await createScheme({ code: code('DIRI'), requirements: observed(5) }, token);
    await trigger(self, 5);
    const preview = await t
      .as(token)
      .get(`/api/v1/certification-schemes/${draft.id}/activation-preview`)
      .expect(200);
    expect(preview.body).toMatchObject({ includesYou: true });
    await t
      .as(token)
      .post(`/api/v1/certification-schemes/${draft.id}/activate`)
      .send({ confirm: preview.body.count })
      .expect(403);
    expect(await certificatesOf(draft.id)).toEqual([]);
  });

  it('loosening an active scheme sends it back to draft: no activation without a preview', async () => {
    const strict = await createScheme({ code: code('KETAT'), requirements: observed(5) });
    const { issued, count } = await activateScheme(t, admin, strict.id);
    expect(issued).toBe(count);
    const loosened = await t
      .as(coordinator)
      .put(`/api/v1/certification-schemes/${strict.id}`)
      .send({ requirements: observed(1) })
      .expect(200);
    expect(loosened.body).toMatchObject({ status: 'draft' });
    const candidate = await t.createUser('asn');
    await trigger(candidate, 1);
    expect(await certificatesOf(strict.id)).not.toContain(candidate.id);
    // Emptying the requirements is refused on activation as well.
    await t
      .as(coordinator)
      .put(`/api/v1/certification-schemes/${strict.id}`)
      .send({ requirements: { courses: [], assessments: [], approval: false, rules: [] } })
      .expect(200);
    await t
      .as(admin)
      .post(`/api/v1/certification-schemes/${strict.id}/activate`)
      .send({ confirm: 0 })
      .expect(422);
  });

  it('the scheme page refuses empty requirement boxes; its preview page confirms the number and refuses a stale one', async () => {
    const { agent } = await signInAgent(t, coordinatorUser.email!);
    const manage = await agent.get('/kelola/skema').expect(200);
    const refused = await agent
      .post('/kelola/skema')
      .type('form')
      .send({
        _csrf: csrfOf(manage.text),
        code: code('HALAMAN'),
        title: 'Skema tanpa syarat',
        sector: 'health',
        courses: '',
        assessments: '',
        attests: 'KES.PPI:3',
      })
      .expect(422);
    expect(refused.text).toContain('Isi minimal satu syarat');
    const [{ n }] = await t.dataSource.query(
      "SELECT COUNT(*) AS n FROM certification_schemes WHERE title = 'Skema tanpa syarat'",
    );
    expect(Number(n)).toBe(0);

    const draft = await createScheme({ code: code('HALAMAN'), requirements: observed(3) });
    const candidate = await t.createUser('asn', { name: 'Citra Halaman' });
    await trigger(candidate, 3);
    const list = await agent.get('/kelola/skema').expect(200);
    expect(list.text).toContain(`/kelola/skema/${draft.id}/aktivasi`);
    const preview = await agent.get(`/kelola/skema/${draft.id}/aktivasi`).expect(200);
    expect(preview.text).toContain('Citra Halaman');
    const count = Number(/name="confirm" value="(\d+)"/.exec(preview.text)![1]);
    expect(count).toBeGreaterThanOrEqual(1);
    const stale = await agent
      .post(`/kelola/skema/${draft.id}/aktivasi`)
      .type('form')
      .send({ _csrf: csrfOf(preview.text), confirm: String(count + 1) })
      .expect(409);
    expect(stale.text).toContain(`menerbitkan ${count} sertifikat`);
    expect(await certificatesOf(draft.id)).toEqual([]);
    await agent
      .post(`/kelola/skema/${draft.id}/aktivasi`)
      .type('form')
      .send({ _csrf: csrfOf(stale.text), confirm: String(count) })
      .expect(303);
    expect(await certificatesOf(draft.id)).toHaveLength(count);
    expect(await certificatesOf(draft.id)).toContain(candidate.id);
  });
});
