import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/paths.js';
import { aSectorPosition, anAsnIn } from '../helpers/sector-world.js';
import { aHealthBank, importQuestions, publishedBankExam } from '../helpers/exams.js';
import { bootTestApp, csrfOf, engine, signInAgent, TestApp } from '../helpers/test-app.js';

/*
 * Issue 24, cloze (Moodle's embedded answers): imported from Moodle XML through the bank's
 * import route, answered blank by blank over HTTP and graded per blank, exported and
 * imported back equal; the candidate's view never gives the key away.
 */

const fixtures = join(projectRoot, 'test', 'fixtures', 'moodle-questions', 'moodle-xml');

type Option = { id: string; text: string; blank: string };
type Blank = { id: string; label: string; kind: string };
type Item = { slot: number; type: string; stem: string; blanks: Blank[]; options: Option[] };

describe(`cloze questions (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  let coordinator: string;
  let position: string;

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await t.tokenFor(await t.createUser('admin'));
    coordinator = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
    position = await aSectorPosition(t, admin, 'health', 'KES-CLOZE');
  });
  afterAll(() => t?.close());

  const aBank = (name: string) => aHealthBank(t, coordinator, name);

  const importXml = (bankId: string, xml: string | Buffer) =>
    importQuestions(t, coordinator, bankId, 'moodle-xml', xml).expect(200);

  const questionsOf = async (bankId: string) =>
    (
      (await t.as(coordinator).get(`/api/v1/question-banks/${bankId}/questions`).expect(200))
        .body as { id: string }[]
    ).map((q) => q.id);

  const contentOf = async (questionId: string) => {
    const q = (await t.as(coordinator).get(`/api/v1/questions/${questionId}`).expect(200)).body;
    return { name: q.name, type: q.type, stem: q.stem, definition: q.definition };
  };

  it("imports Moodle's cloze, reports the refused ones by name, and exports it back equal", async () => {
    const bank = await aBank('Cloze Moodle');
    const imported = await importXml(bank, readFileSync(join(fixtures, 'multianswer.xml')));
    expect(imported.body).toEqual({ imported: 1, skipped: [], warnings: [] });
    const broken = await importXml(
      bank,
      readFileSync(join(fixtures, 'broken_cloze_questions.xml')),
    );
    expect(broken.body.imported).toBe(0);
    expect(broken.body.skipped).toEqual([
      { line: 4, name: 'Multianswer question without subquestions', reason: expect.any(String) },
      { line: 20, name: 'Multichoice subquestion without choices', reason: expect.any(String) },
      {
        line: 36,
        name: 'Multichoice subquestion with only one choice',
        reason: expect.any(String),
      },
      {
        line: 52,
        name: 'Multichoice subquestion with no completely correct answer',
        reason: expect.stringContaining('Isian 1'),
      },
      { line: 68, name: 'Numerical subquestion with buggy answer', reason: expect.any(String) },
    ]);

    const exported = await t
      .as(coordinator)
      .get(`/api/v1/question-banks/${bank}/export`)
      .query({ format: 'moodle-xml' })
      .expect(200);
    expect(exported.text).toContain('<question type="cloze">');
    expect(exported.text).toContain('{1:MULTICHOICE:=California#OK~Arizona#Wrong}');
    // GIFT has no cloze: a 400 that says which format carries it, not a failure.
    const gift = await t
      .as(coordinator)
      .get(`/api/v1/question-banks/${bank}/export`)
      .query({ format: 'gift' })
      .expect(400);
    expect(JSON.stringify(gift.body)).toContain('Moodle XML');
    const copy = await aBank('Cloze salinan');
    expect((await importXml(copy, exported.text)).body).toEqual({
      imported: 1,
      skipped: [],
      warnings: [],
    });
    const [original] = await questionsOf(bank);
    const [again] = await questionsOf(copy);
    expect(await contentOf(again)).toEqual(await contentOf(original));
  });

  it('refuses a cloze definition with a 400 naming the blank and the reason', async () => {
    const bank = await aBank('Cloze salah');
    const res = await t
      .as(coordinator)
      .post(`/api/v1/question-banks/${bank}/questions`)
      .send({
        name: 'Rusak',
        type: 'cloze',
        stem: 'Pilih {#1}',
        definition: {
          blanks: [
            {
              id: 'b1',
              kind: 'multichoice',
              weight: 1,
              options: [{ id: 'x', text: 'Apel', fraction: 1 }],
            },
          ],
        },
      })
      .expect(400);
    expect(JSON.stringify(res.body)).toContain('Isian 1: pilihan ganda butuh minimal dua pilihan');
  });

  it('a coordinator writes a cloze in the editor in Moodle syntax, sees the blanks it read, and is told which blank is wrong', async () => {
    const user = await t.createUser('coordinator', { sectors: ['health'] });
    const { agent } = await signInAgent(t, user.email!);
    const token = await t.tokenFor(user);
    const bankId = await aBank('Cloze editor');
    const url = `/kelola/bank-soal/${bankId}`;
    const editor = await agent.get(`${url}/soal-baru?type=cloze`).expect(200);
    expect(editor.text).toContain('SHORTANSWER');
    const draft = {
      _csrf: csrfOf(editor.text),
      type: 'cloze',
      name: 'Ibu kota',
      stem: 'Ibu kota Jerman {2:SA:=Berlin} dan Indonesia {1:MC:=Jakarta~Bandung}. {1:MCH:=Ya~Tidak}',
      points: '3',
    };
    const preview = await agent.post(`${url}/soal?fragment=1`).type('form').send(draft).expect(200);
    expect(preview.text).toContain(
      '<label for="jawaban_b0" class="visually-hidden">Isian 1</label>',
    );
    expect(preview.text).toContain('<option value="b2b">Bandung</option>');
    expect(preview.text).not.toContain('Berlin');
    // A horizontal multichoice is a group of radio buttons named for its blank.
    expect(preview.text).toContain('role="radiogroup" aria-label="Isian 3"');
    expect(preview.text).toMatch(/type="radio" id="jawaban_b2_0" name="jawaban\.b3" value="b3a"/);
    const refused = await agent
      .post(`${url}/soal`)
      .type('form')
      .send({ ...draft, stem: 'Ibu kota Jerman {2:SA:=Berlin} dan Indonesia {1:MC:=Jakarta}.' })
      .expect(400);
    expect(refused.text).toContain('Isian 2: pilihan ganda butuh minimal dua pilihan');
    // What was typed comes back as typed (Handlebars writes = as &#x3D;).
    expect(refused.text.replace(/&#x3D;/g, '=')).toContain('{1:MC:=Jakarta}');
    const saved = await agent.post(`${url}/soal`).type('form').send(draft).expect(303);
    const questionId = (saved.headers.location as string).split('/').pop()!;
    const api = (await t.as(token).get(`/api/v1/questions/${questionId}`).expect(200)).body;
    expect(api).toMatchObject({
      type: 'cloze',
      points: 3,
      stem: 'Ibu kota Jerman {#1} dan Indonesia {#2}. {#3}',
      definition: {
        blanks: [
          { id: 'b1', kind: 'shortanswer', weight: 2, options: [{ text: 'Berlin', fraction: 1 }] },
          { id: 'b2', kind: 'multichoice', weight: 1 },
          { id: 'b3', kind: 'multichoice', weight: 1, display: 'horizontal' },
        ],
      },
    });
    // Edited again, the author gets the text back in Moodle's syntax, with the blanks listed.
    const again = await agent.get(`${url}/soal/${questionId}/ubah`).expect(200);
    expect(again.text.replace(/&#x3D;/g, '=')).toContain(
      'Ibu kota Jerman {2:SHORTANSWER:=Berlin} dan Indonesia {1:MULTICHOICE:=Jakarta~Bandung}. {1:MULTICHOICE_H:=Ya~Tidak}',
    );
    expect(again.text).toContain('data-test="cloze-blanks"');
    // The question's page: the blanks inline as the candidate sees them, the key listed below.
    const page = await agent.get(`${url}/soal/${questionId}`).expect(200);
    expect(page.text).toContain('<label for="jawaban_b0" class="visually-hidden">Isian 1</label>');
    expect(page.text).not.toContain('{#1}');
    expect(page.text.replace(/&#x3D;/g, '=')).toContain('{2:SHORTANSWER:=Berlin}');
    // Blank kinds by their Indonesian names, never the internal keys.
    expect(page.text).toContain('<td>Isian singkat</td>');
    expect(page.text).toContain('<td>Pilihan ganda</td>');
    expect(page.text).not.toMatch(/<td>(shortanswer|multichoice|numerical)<\/td>/);
  });

  describe('an exam with a cloze question', () => {
    const source =
      'Ibu kota Jerman adalah {2:SHORTANSWER:=Berlin~%50%Bonn}, ibu kota Indonesia ' +
      '{1:MULTICHOICE:=Jakarta~Bandung~Surabaya} dan 6 × 7 = {1:NUMERICAL:=42}.';
    let exam: string;

    beforeAll(async () => {
      const bank = await aBank('Cloze ujian');
      const xml =
        '<quiz><question type="cloze"><name><text>Ibu kota</text></name>' +
        `<questiontext format="html"><text>${source}</text></questiontext></question></quiz>`;
      expect((await importXml(bank, xml)).body.imported).toBe(1);
      exam = await publishedBankExam(t, coordinator, {
        title: 'Ujian isian rumpang',
        bankId: bank,
        count: 1,
        settings: { reviewPolicy: 'feedback' },
      });
    });

    const start = async (token: string) =>
      (await t.as(token).post(`/api/v1/assessments/${exam}/attempts`).expect(201)).body as {
        id: string;
        items: Item[];
      };

    it('shows no key: option ids are per attempt, say nothing of the authoring order, no credit', async () => {
      const [first, second] = await Promise.all(
        [1, 2].map(async () => start(await t.tokenFor(await anAsnIn(t, position)))),
      );
      const [a] = first.items;
      const [b] = second.items;
      expect(a.type).toBe('cloze');
      expect(a.blanks.map((x) => x.label)).toEqual(['Isian 1', 'Isian 2', 'Isian 3']);
      // Only the drop-down's options are listed; the typed blanks' answers are not.
      const json = JSON.stringify(a);
      for (const secret of ['Berlin', 'Bonn', 'fraction', 'feedback', '"b2a"'])
        expect(json).not.toContain(secret);
      // The numeric answer, but not the "42" a random hex id may hold.
      expect(json).not.toMatch(/(?<![0-9a-f])42(?![0-9a-f])/);
      for (const o of a.options) expect(Object.keys(o).sort()).toEqual(['blank', 'id', 'text']);
      // The attacker's move: learn the right option's id in one attempt, use it in another.
      const idOf = (item: Item, text: string) => item.options.find((o) => o.text === text)!.id;
      expect(idOf(a, 'Jakarta')).not.toBe(idOf(b, 'Jakarta'));
      expect(idOf(a, 'Jakarta')).toMatch(/^[0-9a-f]{12}$/);
      const order = (item: Item) => item.options.map((o) => o.text).join();
      // Ids sorted do not give back the authoring order in every attempt (the first is the key).
      // Two options: 20 attempts all alike by chance is one in half a million, not one in 32.
      const attempts = [
        a,
        b,
        ...(await Promise.all(
          Array.from({ length: 18 }, (_, i) => i).map(
            async () => (await start(await t.tokenFor(await anAsnIn(t, position)))).items[0],
          ),
        )),
      ];
      expect(
        attempts.every(
          (item) =>
            [...item.options].sort((x, y) => x.id.localeCompare(y.id))[0].text === 'Jakarta',
        ),
      ).toBe(false);
      expect(new Set(attempts.map(order)).size).toBeGreaterThan(1);
      // An id of another attempt is refused, without telling which ids would do.
      const token = await t.tokenFor(await anAsnIn(t, position));
      const mine = await start(token);
      await t
        .as(token)
        .put(`/api/v1/attempts/${mine.id}/answers/1`)
        .send({ response: { b2: idOf(a, 'Jakarta') } })
        .expect(400);
    });

    it('grades each blank by its weight and shows each blank right or wrong once reviewable', async () => {
      const token = await t.tokenFor(await anAsnIn(t, position));
      const attempt = await start(token);
      const [item] = attempt.items;
      const jakarta = item.options.find((o) => o.text === 'Jakarta')!.id;
      await t
        .as(token)
        .put(`/api/v1/attempts/${attempt.id}/answers/1`)
        .send({ response: { b1: { text: 'bonn' }, b2: jakarta, b3: { text: '41' } } })
        .expect(200);
      const submitted = await t.as(token).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200);
      // Bonn: half of 2 points; Jakarta: 1 of 1; 41: 0 of 1 → 2 / 4 of the question's point.
      expect(submitted.body.items[0]).toMatchObject({
        score: 0.5,
        correct: false,
        blankResults: [
          { label: 'Isian 1', correct: false },
          { label: 'Isian 2', correct: true },
          { label: 'Isian 3', correct: false },
        ],
      });
      // The item analysis takes the cloze blank by blank.
      const report = await t.as(admin).get(`/api/v1/reports/assessments/${exam}/items`).expect(200);
      expect(report.body.items[0].blanks).toEqual([
        { label: 'Isian 1', facility: 0.5, discrimination: null },
        { label: 'Isian 2', facility: 1, discrimination: null },
        { label: 'Isian 3', facility: 0, discrimination: null },
      ]);
    });
  });
  it('shows a typed blank the feedback of the answer it matched, none when it matched none, and refuses a blank typed too long', async () => {
    const bank = await aBank('Cloze umpan balik');
    const xml =
      '<quiz><question type="cloze"><name><text>Umpan balik</text></name><questiontext format="html"><text>' +
      'Ibu kota Jerman {1:SA:=Berlin#Benar~%0%Bonn#Bonn dulu; kini Berlin~%0%M*n*h#Itu kota Bavaria}' +
      '</text></questiontext></question></quiz>';
    expect((await importXml(bank, xml)).body.imported).toBe(1);
    const exam = await publishedBankExam(t, coordinator, {
      title: 'Ujian umpan balik isian',
      bankId: bank,
      count: 1,
      settings: { reviewPolicy: 'feedback' },
    });
    const typed = async (text: string) => {
      const token = await t.tokenFor(await anAsnIn(t, position));
      const attempt = (await t.as(token).post(`/api/v1/assessments/${exam}/attempts`).expect(201))
        .body as { id: string };
      await t
        .as(token)
        .put(`/api/v1/attempts/${attempt.id}/answers/1`)
        .send({ response: { b1: { text } } })
        .expect(200);
      const done = await t.as(token).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200);
      return done.body.items[0].blankResults[0];
    };
    // Paris matches no answer: no feedback, least of all that of Bonn (the same credit, 0).
    expect(await typed('Paris')).toEqual({ label: 'Isian 1', correct: false });
    expect(await typed('bonn')).toEqual({
      label: 'Isian 1',
      correct: false,
      feedback: 'Bonn dulu; kini Berlin',
    });
    expect(await typed('Munich')).toEqual({
      label: 'Isian 1',
      correct: false,
      feedback: 'Itu kota Bavaria',
    });
    expect(await typed(' berlin ')).toEqual({ label: 'Isian 1', correct: true, feedback: 'Benar' });

    // A blank typed longer than a short answer may be is refused at save time, naming it.
    const token = await t.tokenFor(await anAsnIn(t, position));
    const attempt = (await t.as(token).post(`/api/v1/assessments/${exam}/attempts`).expect(201))
      .body as { id: string };
    const refused = await t
      .as(token)
      .put(`/api/v1/attempts/${attempt.id}/answers/1`)
      .send({ response: { b1: { text: 'M' + 'n'.repeat(600) + 'h' } } })
      .expect(400);
    expect(JSON.stringify(refused.body)).toContain('response.b1 must be at most 500 characters');
    await t
      .as(token)
      .put(`/api/v1/attempts/${attempt.id}/answers/1`)
      .send({ response: { b1: { text: 'M' + 'n'.repeat(498) + 'h' } } })
      .expect(200);
    // The exam page's text box says so before the candidate sends it.
    const { agent } = await signInAgent(t, (await anAsnIn(t, position)).email!);
    const page = await agent.get(`/ujian/${exam}`).expect(200);
    const started = await agent
      .post(`/ujian/${exam}/mulai`)
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(303);
    const examPage = await agent.get(started.headers.location as string).expect(200);
    expect(examPage.text).toMatch(/class="cloze-blank" type="text" size="12" maxlength="500"/);
  });
});
