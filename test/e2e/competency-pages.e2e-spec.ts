import { bootTestApp, csrfOf, engine, signInAgent, TestApp } from '../helpers/test-app.js';

describe(`competency pages (${engine})`, () => {
  let t: TestApp;
  let adminToken: string;
  beforeAll(async () => {
    t = await bootTestApp();
    adminToken = await t.tokenFor(await t.createUser('admin'));
  });
  afterAll(() => t.close());

  async function signIn(email: string) {
    const { agent, res } = await signInAgent(t, email);
    expect(res.status).toBe(303);
    return agent;
  }

  it('admin creates a position and edits its standard in the table, removing and adding rows', async () => {
    const admin = await t.createUser('admin');
    const agent = await signIn(admin.email!);
    const list = await agent.get('/admin/jabatan').expect(200);
    const created = await agent
      .post('/admin/jabatan')
      .type('form')
      .send({
        _csrf: csrfOf(list.text),
        code: 'ANALIS-SDM',
        name: 'Analis SDM Aparatur',
        kind: 'fungsional',
        sector: '',
      })
      .expect(303);
    expect(created.headers.location).toBe('/admin/jabatan/ANALIS-SDM');
    // The same name again: a confirmation step, nothing made until it is confirmed.
    const namesake = {
      _csrf: csrfOf(list.text),
      code: 'ANALIS-SDM-2',
      name: 'analis sdm aparatur',
      kind: 'fungsional',
      sector: '',
    };
    const asked = await agent.post('/admin/jabatan').type('form').send(namesake).expect(409);
    expect(asked.text).toContain('Nama jabatan ini sudah dipakai');
    expect(asked.text).toContain('Analis SDM Aparatur (ANALIS-SDM)');
    expect(asked.text).toContain('name="confirmDuplicateName" value="true"');
    await agent.get('/admin/jabatan/ANALIS-SDM-2').expect(404);
    await agent
      .post('/admin/jabatan')
      .type('form')
      .send({ ...namesake, confirmDuplicateName: 'true' })
      .expect(303);
    const both = await agent.get('/admin/jabatan').expect(200);
    expect(both.text).toContain('nama sama dengan ANALIS-SDM-2');
    expect(both.text).toContain('nama sama dengan ANALIS-SDM<');
    const page = await agent.get('/admin/jabatan/ANALIS-SDM').expect(200);
    expect(page.text).toContain('Standar kompetensi: Analis SDM Aparatur');
    const token = csrfOf(page.text);
    // Three blank rows: fill two.
    await agent
      .post('/admin/jabatan/ANALIS-SDM/standar')
      .type('form')
      .send(
        `_csrf=${encodeURIComponent(token)}&competency=M.1&level=3&competency=SK.1&level=2&competency=&level=1`,
      )
      .expect(303);
    let api = await t.as(adminToken).get('/api/v1/positions/ANALIS-SDM').expect(200);
    expect(
      api.body.standard.map(
        (l: { competencyCode: string; level: number }) => `${l.competencyCode}:${l.level}`,
      ),
    ).toEqual(['M.1:3', 'SK.1:2']);
    // Remove the first row, raise the second.
    await agent
      .post('/admin/jabatan/ANALIS-SDM/standar')
      .type('form')
      .send(
        `_csrf=${encodeURIComponent(token)}&competency=M.1&level=3&remove=0&competency=SK.1&level=4`,
      )
      .expect(303);
    api = await t.as(adminToken).get('/api/v1/positions/ANALIS-SDM').expect(200);
    expect(
      api.body.standard.map(
        (l: { competencyCode: string; level: number }) => `${l.competencyCode}:${l.level}`,
      ),
    ).toEqual(['SK.1:4']);
    const dup = await agent
      .post('/admin/jabatan/ANALIS-SDM/standar')
      .type('form')
      .send(`_csrf=${encodeURIComponent(token)}&competency=M.1&level=3&competency=M.1&level=2`)
      .expect(400);
    expect(dup.text).toContain('dua kali');
  });

  it('an ASN sees their chart, the table and what to improve', async () => {
    await t
      .as(adminToken)
      .post('/api/v1/positions')
      .send({ code: 'PENGELOLA', name: 'Pengelola Data', kind: 'pelaksana' })
      .expect(201);
    await t
      .as(adminToken)
      .put('/api/v1/positions/PENGELOLA/standard')
      .send({
        items: [
          { competencyCode: 'M.3', level: 2 },
          { competencyCode: 'M.4', level: 2 },
        ],
      })
      .expect(200);
    const asn = await t.createUser('asn');
    await t
      .as(adminToken)
      .patch(`/api/v1/users/${asn.id}`)
      .send({ positionCode: 'PENGELOLA' })
      .expect(200);
    await t
      .as(adminToken)
      .post(`/api/v1/users/${asn.id}/evidence`)
      .send({ competencyCode: 'M.3', level: 2, reason: 'Penilaian atasan' })
      .expect(201);
    const agent = await signIn(asn.email!);
    const page = await agent.get('/kompetensi').expect(200);
    expect(page.text).toContain('<svg');
    expect(page.text).toContain('1 dari 2 kompetensi terpenuhi (50 %).');
    expect(page.text).toContain('Orientasi pada Hasil');
    expect(page.text).toContain('Belum ada rekomendasi');
    expect(page.text.length).toBeLessThan(30_000);
  });

  it('the gap report page shows the table and the heatmap; coordinators see the sector competencies page', async () => {
    const admin = await t.createUser('admin');
    const agent = await signIn(admin.email!);
    const report = await agent.get('/laporan/kesenjangan').expect(200);
    expect(report.text).toContain('Peta kesenjangan');
    expect(report.text).toContain('<svg');
    const coordinator = await t.createUser('coordinator', { sectors: ['health'] });
    const coord = await signIn(coordinator.email!);
    const page = await coord.get('/kompetensi-sektor').expect(200);
    const created = await coord
      .post('/kompetensi-sektor')
      .type('form')
      .send({
        _csrf: csrfOf(page.text),
        sector: 'health',
        code: 'KES.BHD',
        title: 'Bantuan Hidup Dasar',
        description: 'Melakukan RJP sesuai pedoman.',
        level1: 'Mengenali henti jantung',
        level2: 'Melakukan RJP dasar',
        level3: 'Memimpin RJP tim',
        level4: 'Melatih RJP',
        level5: 'Menyusun pedoman RJP',
      })
      .expect(303);
    expect(created.headers.location).toBe('/kompetensi-sektor');
    expect((await coord.get('/kompetensi-sektor').expect(200)).text).toContain(
      'Bantuan Hidup Dasar',
    );
    const forbidden = await coord
      .post('/kompetensi-sektor')
      .type('form')
      .send({
        _csrf: csrfOf(page.text),
        sector: 'education',
        code: 'PEND.X',
        title: 'Bukan sektor',
        description: 'xxx',
        level1: 'aaa',
        level2: 'bbb',
        level3: 'ccc',
        level4: 'ddd',
        level5: 'eee',
      })
      .expect(403);
    expect(forbidden.text).toContain('tidak berwenang');
    const asn = await signIn((await t.createUser('asn')).email!);
    await asn.get('/admin/jabatan').expect(403);
    await asn.get('/laporan/kesenjangan').expect(403);
  });
});
