import { bootTestApp, csrfOf, engine, signInAgent, TestApp } from '../helpers/test-app.js';

describe(`question bank pages (${engine})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp();
  });
  afterAll(() => t.close());

  it('a coordinator creates a bank, previews a GIFT import with a broken question reported by line, applies it and previews a question', async () => {
    const coordinator = await t.createUser('coordinator', { sectors: ['health'] });
    const { agent: agent, res: login } = await signInAgent(t, coordinator.email!);
    expect(login.status).toBe(303);
    const list = await agent.get('/kelola/bank-soal').expect(200);
    const created = await agent
      .post('/kelola/bank-soal')
      .type('form')
      .send({ _csrf: csrfOf(list.text), name: 'PPI Dasar', sector: 'health' })
      .expect(303);
    const url = created.headers.location as string;
    const page = await agent.get(url).expect(200);
    const token = encodeURIComponent(csrfOf(page.text));
    const gift =
      '::Cuci tangan:: Berapa langkah cuci tangan WHO? {#6}\n\n::Rusak:: Soal tanpa penutup {=a ~b\n\n::APD:: Sarung tangan termasuk APD. {T}\n';
    const preview = await agent
      .post(`${url}/impor?mode=preview&format=gift&_csrf=${token}`)
      .attach('file', Buffer.from(gift), 'ppi.gift.txt')
      .expect(200);
    expect(preview.text).toContain('2 soal akan diimpor.');
    expect(preview.text).toMatch(/<td>3<\/td><td class="error-cell">Blok jawaban tidak ditutup/);
    const applied = await agent
      .post(`${url}/impor?mode=apply&format=gift&_csrf=${token}`)
      .attach('file', Buffer.from(gift), 'ppi.gift.txt')
      .expect(200);
    expect(applied.text).toContain('2 soal diimpor.');
    const id = /\/kelola\/bank-soal\/[0-9a-f-]+\/soal\/([0-9a-f-]+)/.exec(applied.text)![1];
    const question = await agent.get(`${url}/soal/${id}`).expect(200);
    expect(question.text).toContain('Tampilan bagi peserta');
    const filtered = await agent.get(`${url}?type=true_false`).expect(200);
    expect(filtered.text).toContain('APD');
    expect(filtered.text).not.toContain('Cuci tangan</a>');

    const other = await t.createUser('coordinator', { sectors: ['education'] });
    const { agent: agent2, res: login2 } = await signInAgent(t, other.email!);
    expect(login2.status).toBe(303);
    await agent2.get(url).expect(403);
  });
});
