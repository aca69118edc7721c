import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QuestionBanksService } from '../../src/assessment/banks/question-banks.service.js';
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
    // An empty bank says so, and points to adding or importing questions.
    expect(page.text).toContain('Bank ini belum berisi soal.');
    expect(page.text).not.toContain('Belum ada pelatihan');
    expect(page.text).toContain('href="#impor"');
    expect(page.text).toContain('<label for="file">Berkas soal (GIFT atau Moodle XML)</label>');
    const token = encodeURIComponent(csrfOf(page.text));
    const gift =
      '::Cuci tangan:: Berapa langkah cuci tangan WHO? {#6}\n\n::Rusak:: Soal tanpa penutup {=a ~b\n\n::APD:: Sarung tangan termasuk APD. {T}\n';
    const preview = await agent
      .post(`${url}/impor?mode=preview&format=gift&_csrf=${token}`)
      .attach('file', Buffer.from(gift), 'ppi.gift.txt')
      .expect(200);
    expect(preview.text).toContain('2 soal akan diimpor.');
    expect(preview.text).toMatch(
      /<td>3 · Rusak<\/td><td class="error-cell">Blok jawaban tidak ditutup/,
    );
    // "Impor" after the preview sends back the previewed text: no file chosen again.
    const carried = /<input type="hidden" name="content" value="([^"]*)">/.exec(preview.text)![1];
    expect(carried).toContain('::Cuci tangan::');
    const unescape = (html: string) =>
      html
        .replace(/&#x3D;/g, '=')
        .replace(/&#x27;/g, "'")
        .replace(/&amp;/g, '&');
    const applied = await agent
      .post(`${url}/impor?mode=apply&format=gift`)
      .type('form')
      .send({ _csrf: csrfOf(preview.text), content: unescape(carried) })
      .expect(200);
    expect(applied.text).toContain('2 soal diimpor.');
    await agent
      .post(`${url}/impor?mode=apply&format=gift`)
      .type('form')
      .send({ _csrf: csrfOf(preview.text), content: '' })
      .expect(400);
    // Moodle XML the same way: previewed as XML, and "Impor" applies it as XML.
    const xml = readFileSync(
      join(process.cwd(), 'test/fixtures/moodle-questions/moodle-xml/multichoice.xml'),
    );
    const xmlPreview = await agent
      .post(`${url}/impor?mode=preview&format=moodle-xml&_csrf=${token}`)
      .attach('file', xml, 'multichoice.xml')
      .expect(200);
    expect(xmlPreview.text).toMatch(/\d+ soal akan diimpor\. \(Moodle XML\)/);
    const xmlCarried = /<input type="hidden" name="content" value="([^"]*)">/.exec(
      xmlPreview.text,
    )![1];
    expect(xmlPreview.text).toContain('impor?mode=apply&amp;format=moodle-xml#impor');
    const xmlText = xmlCarried
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#x3D;/g, '=')
      .replace(/&#x27;/g, "'")
      .replace(/&#x60;/g, '`')
      .replace(/&amp;/g, '&');
    expect(xmlText).toBe(xml.toString());
    const xmlApplied = await agent
      .post(`${url}/impor?mode=apply&format=moodle-xml`)
      .type('form')
      .send({ _csrf: csrfOf(xmlPreview.text), content: xmlText })
      .expect(200);
    expect(xmlApplied.text).toMatch(/\d+ soal diimpor\./);
    const filled = await agent.get(`${url}?q=tidak-ada`).expect(200);
    expect(filled.text).toContain('Tidak ada soal yang cocok dengan saringan ini.');
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

  it('a coordinator writes a question in the editor, previews it without saving, saves, edits into a new version after use, and files questions by category and tag', async () => {
    const coordinator = await t.createUser('coordinator', { sectors: ['health'] });
    const { agent } = await signInAgent(t, coordinator.email!);
    const token = await t.tokenFor(coordinator);
    const list = await agent.get('/kelola/bank-soal').expect(200);
    const url = (
      await agent
        .post('/kelola/bank-soal')
        .type('form')
        .send({ _csrf: csrfOf(list.text), name: 'Keselamatan Pasien', sector: 'health' })
        .expect(303)
    ).headers.location as string;
    const bankId = url.split('/').pop()!;

    const editor = await agent.get(`${url}/soal-baru?type=multiple_response`).expect(200);
    expect(editor.text).toContain('name="r0_fraction"');
    const csrf = csrfOf(editor.text);
    const draft = {
      _csrf: csrf,
      type: 'multiple_response',
      name: 'Identifikasi pasien',
      stem: 'Identitas mana yang **dipakai**?',
      r0_text: 'Nama lengkap',
      r0_fraction: '50',
      r1_text: 'Tanggal lahir',
      r1_fraction: '50',
      r2_text: 'Nomor kamar',
      r2_fraction: '-100',
      r2_feedback: 'Kamar bisa berubah',
      points: '2',
      difficulty: 'sedang',
      competencyCode: 'KES.1',
      competencyLevel: '2',
      tags: 'ipsg, dasar',
    };
    // The live preview: only the candidate's view, no key, no feedback, nothing saved.
    const fragment = await agent
      .post(`${url}/soal?fragment=1`)
      .type('form')
      .send(draft)
      .expect(200);
    expect(fragment.text).not.toContain('<html');
    expect(fragment.text).toContain('<strong>dipakai</strong>');
    expect(fragment.text).toMatch(/type="checkbox"[^>]*name="jawaban" value="c"/);
    expect(fragment.text).not.toContain('Kamar bisa berubah');
    const refused = await agent
      .post(`${url}/soal`)
      .type('form')
      .send({ ...draft, r0_fraction: '20', r1_fraction: '20' })
      .expect(400);
    expect(refused.text).toContain('role="alert"');
    expect(refused.text).toContain('Nilai positif semua pilihan harus berjumlah 100 persen');
    expect(refused.text).not.toContain('must add up');
    expect(refused.text).toContain('value="Nomor kamar"');
    // The live preview's problems are the same Indonesian sentences.
    const live = await agent
      .post(`${url}/soal?fragment=1`)
      .type('form')
      .send({ ...draft, name: '', r0_fraction: '20', r1_fraction: '20', r1_text: '' })
      .expect(200);
    expect(live.text).toContain('Nilai positif semua pilihan harus berjumlah 100 persen');
    const single = await agent
      .post(`${url}/soal`)
      .type('form')
      .send({ ...draft, type: 'single_choice', name: '', r0_fraction: '50', r1_fraction: '0' })
      .expect(400);
    expect(single.text).toContain('Satu pilihan harus bernilai penuh (100 persen)');
    expect(single.text).toContain('Nama soal wajib diisi');
    expect(single.text).not.toContain('full credit');
    expect(
      (await t.as(token).get(`/api/v1/question-banks/${bankId}/questions`).expect(200)).body,
    ).toHaveLength(0);

    const saved = await agent
      .post(`${url}/soal`)
      .type('form')
      .send({ ...draft, intent: 'save' })
      .expect(303);
    const questionUrl = saved.headers.location as string;
    const questionId = questionUrl.split('/').pop()!;
    const api = (await t.as(token).get(`/api/v1/questions/${questionId}`).expect(200)).body;
    expect(api).toMatchObject({
      type: 'multiple_response',
      version: 1,
      points: 2,
      difficulty: 'sedang',
      competencyCode: 'KES.1',
      competencyLevel: 2,
      tags: ['ipsg', 'dasar'],
      definition: {
        options: [
          { id: 'a', text: 'Nama lengkap', fraction: 0.5 },
          { id: 'b', text: 'Tanggal lahir', fraction: 0.5 },
          { id: 'c', text: 'Nomor kamar', fraction: -1, feedback: 'Kamar bisa berubah' },
        ],
      },
    });
    const shown = await agent.get(questionUrl).expect(200);
    expect(shown.text).toContain('Nomor kamar');
    expect(shown.text).toContain('Kunci jawaban');

    // Once an attempt has shown version 1, the editor makes version 2 and keeps ids.
    await t.app.get(QuestionBanksService).markUsed(questionId, 1);
    const edit = await agent.get(`${questionUrl}/ubah`).expect(200);
    expect(edit.text).toContain('name="r2_id" value="c"');
    await agent
      .post(`${url}/soal`)
      .type('form')
      .send({ ...draft, questionId, r1_text: 'Tanggal lahir pasien', intent: 'save' })
      .expect(303);
    const v2 = (await t.as(token).get(`/api/v1/questions/${questionId}`).expect(200)).body;
    expect(v2.version).toBe(2);
    expect(v2.definition.options[1]).toEqual({
      id: 'b',
      text: 'Tanggal lahir pasien',
      fraction: 0.5,
    });
    const history = await agent.get(`${questionUrl}?version=1`).expect(200);
    expect(history.text).toContain('>Tanggal lahir<');

    // Categories nest; bulk move and tag act on the checked questions only.
    const bankPage = await agent.get(url).expect(200);
    await agent
      .post(`${url}/kategori`)
      .type('form')
      .send({ _csrf: csrfOf(bankPage.text), name: 'Sasaran 1' })
      .expect(303);
    const parent = (await t.as(token).get(`/api/v1/question-banks/${bankId}`).expect(200)).body
      .categories[0];
    await agent
      .post(`${url}/kategori`)
      .type('form')
      .send({ _csrf: csrfOf(bankPage.text), name: 'Gelang identitas', parentId: parent.id })
      .expect(303);
    const bank = (await t.as(token).get(`/api/v1/question-banks/${bankId}`).expect(200)).body;
    expect(bank.categories.map((c: { path: string }) => c.path)).toEqual([
      'Sasaran 1',
      'Sasaran 1/Gelang identitas',
    ]);
    const child = bank.categories[1];
    await agent
      .post(`${url}/massal`)
      .type('form')
      .send({ _csrf: csrf, ids: [questionId], action: 'move', categoryId: child.id })
      .expect(303);
    await agent
      .post(`${url}/massal`)
      .type('form')
      .send({ _csrf: csrf, ids: [questionId], action: 'tag', tags: 'ujian-2026' })
      .expect(303);
    const moved = (await t.as(token).get(`/api/v1/questions/${questionId}`).expect(200)).body;
    expect(moved.categoryId).toBe(child.id);
    expect(moved.tags).toEqual(['ipsg', 'dasar', 'ujian-2026']);
    // Exporting the parent category carries the subcategory's question.
    const gift = await t
      .as(token)
      .get(`/api/v1/question-banks/${bankId}/export?format=gift&category=${parent.id}`)
      .expect(200);
    expect(gift.text).toContain('$CATEGORY: Sasaran 1/Gelang identitas');
    expect(gift.text).toContain('Identifikasi pasien');

    const stranger = await t.createUser('coordinator', { sectors: ['education'] });
    const { agent: other } = await signInAgent(t, stranger.email!);
    const otherList = await other.get('/kelola/bank-soal').expect(200);
    await other
      .post(`${url}/massal`)
      .type('form')
      .send({ _csrf: csrfOf(otherList.text), ids: [questionId], action: 'tag', tags: 'x' })
      .expect(403);
    await other.get(`${questionUrl}/ubah`).expect(403);
  });
});
