import { QuestionTypeRegistry } from '../../src/registry/registries.js';
import { keyOfAttempt, rightFor, type CandidateItem } from '../helpers/answers.js';
import { aHealthBank, importQuestions } from '../helpers/exams.js';
import { bootTestApp, engine, signInAgent, TestApp } from '../helpers/test-app.js';

/**
 * The cheater suite, answer key: a candidate who wants the paper without the work reads the
 * key from the ids or the order of what they pick. Ids are opaque per attempt and options are
 * shuffled per attempt (ADR 0010), so every such strategy must score like chance, over every
 * shipped bank and over a GIFT bank whose right answers are written first.
 */

type Def = Record<string, unknown>;
type Key = { type: string; definition: Def };
type Strategy = (item: CandidateItem, key: Key) => unknown;

const PICK_TYPES = new Set(['single_choice', 'multiple_response', 'matching', 'ordering']);
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
/** How many options a multiple-response key takes: the attacker is even granted that. */
const rightCount = (key: Key) =>
  ((key.definition.options ?? []) as { fraction: number }[]).filter((o) => o.fraction > 0).length;

/** The option whose id sorts first; "a, b…" in multiple response; l_n → r_n by sorted ids. */
const sortedIds: Strategy = (item, key) => {
  if (item.options) {
    const sorted = [...item.options].sort(byId).map((o) => o.id);
    return item.type === 'multiple_response' ? sorted.slice(0, rightCount(key)) : sorted[0];
  }
  if (item.left && item.right) {
    const right = [...item.right].sort(byId);
    return Object.fromEntries(
      [...item.left].sort(byId).map((l, i) => [l.id, right[i % right.length].id]),
    );
  }
  return [...item.items!].sort(byId).map((s) => s.id);
};

/**
 * The first option shown (the authoring order when nothing shuffles); left n → right n shown
 * (cycling when several left items share a right one).
 */
const firstShown: Strategy = (item, key) => {
  if (item.options)
    return item.type === 'multiple_response'
      ? item.options.slice(0, rightCount(key)).map((o) => o.id)
      : item.options[0].id;
  if (item.left && item.right)
    return Object.fromEntries(
      item.left.map((l, i) => [l.id, item.right![i % item.right!.length].id]),
    );
  return item.items!.map((s) => s.id);
};

/** k-element subsets of a list (multiple response has at most a handful of options). */
function subsets<T>(list: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (list.length < k) return [];
  const [head, ...rest] = list;
  return [...subsets(rest, k - 1).map((s) => [head, ...s]), ...subsets(rest, k)];
}

describe(`cheater: the answer key through ids and order (${engine})`, () => {
  let t: TestApp;
  let admin: string;
  let types: QuestionTypeRegistry;

  beforeAll(async () => {
    t = await bootTestApp({ env: { CONTENT_SYNC: 'true' } });
    admin = await t.tokenFor(await t.createUser('admin'));
    types = t.app.get(QuestionTypeRegistry);
  }, 120_000);
  afterAll(() => t.close());

  /**
   * What the strategy earns on an item when ids and order are random: the mean credit and
   * that credit's variance bound. A uniformly random option (or k-subset) of a choice, a
   * uniformly random right item for each left one, a uniformly random place for each step.
   */
  function chance(key: Key, strategy: Strategy): number {
    const type = types.get(key.type)!;
    const d = key.definition;
    if (key.type === 'single_choice' || key.type === 'multiple_response') {
      const ids = (d.options as { id: string }[]).map((o) => o.id);
      const picks =
        key.type === 'single_choice' ? ids.map((id) => [id]) : subsets(ids, rightCount(key));
      const credits = picks.map(
        (p) => type.grade(d, key.type === 'single_choice' ? p[0] : p)!.fraction,
      );
      return credits.reduce((s, c) => s + c, 0) / credits.length;
    }
    if (key.type === 'matching') return 1 / (d.right as unknown[]).length;
    // Ordering steps are shown in a neutral order (by text): the first shown is that order.
    if (strategy === firstShown) {
      const shown = (type.candidateView(d).items as { id: string }[]).map((s) => s.id);
      return type.grade(d, shown)!.fraction;
    }
    return 1 / (d.items as unknown[]).length;
  }

  async function asn() {
    return t.tokenFor(await t.createUser('asn'));
  }

  async function publish(input: Record<string, unknown>) {
    const created = await t
      .as(admin)
      .post('/api/v1/assessments')
      .send({
        timeLimitMinutes: 120,
        passPercent: 70,
        maxAttempts: 0,
        reviewPolicy: 'correctness',
        ...input,
      })
      .expect(201);
    await t.as(admin).post(`/api/v1/assessments/${created.body.id}/publish`).expect(200);
    return created.body.id as string;
  }

  /** An exam of every question of a bank, in the bank's order when `shuffle` is off. */
  async function examOfBank(
    bankId: string,
    sector: string,
    shuffle: boolean,
    extra: Record<string, unknown> = {},
  ) {
    const questions = (
      await t.as(admin).get(`/api/v1/question-banks/${bankId}/questions`).expect(200)
    ).body as { id: string }[];
    return publish({
      title: `Semua soal ${bankId}`,
      sector,
      shuffle,
      sections: [{ bankId, count: questions.length, questionIds: questions.map((q) => q.id) }],
      ...extra,
    });
  }

  /** Sits an exam with a strategy on every pick item; what it earned against chance. */
  async function sit(assessmentId: string, strategy: Strategy) {
    const token = await asn();
    const attempt = (
      await t.as(token).post(`/api/v1/assessments/${assessmentId}/attempts`).expect(201)
    ).body as { id: string; items: (CandidateItem & { points: number })[] };
    const keys = await keyOfAttempt(t.dataSource, attempt.id);
    const picked = attempt.items.filter((i) => PICK_TYPES.has(i.type));
    let expected = 0;
    let spread = 0;
    let max = 0;
    for (const item of picked) {
      const key = keys.get(item.slot)!;
      await t
        .as(token)
        .put(`/api/v1/attempts/${attempt.id}/answers/${item.slot}`)
        .send({ response: strategy(item, key) })
        .expect(200);
      expected += chance(key, strategy) * item.points;
      spread += item.points ** 2;
      max += item.points;
    }
    const graded = (await t.as(token).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200))
      .body as { items: { slot: number; score: number }[] };
    const slots = new Set(picked.map((i) => i.slot));
    const earned = graded.items.filter((i) => slots.has(i.slot)).reduce((s, i) => s + i.score, 0);
    return { earned, expected, spread, max, items: picked.length };
  }

  /**
   * Over n independent items, each credit within [0, points], Hoeffding's inequality bounds
   * the sum: P(|S − E| ≥ d) ≤ 2·exp(−2d² / Σ points²). With d = √(ln(2/δ)·Σ points² / 2) and
   * δ = 10⁻⁶ an honest server fails this test once in a million runs; a key read from ids or
   * order scores near 100 % and lies far outside.
   */
  function expectChance(
    label: string,
    total: { earned: number; expected: number; spread: number; max: number; items: number },
  ) {
    const d = Math.sqrt((Math.log(2 / 1e-6) * total.spread) / 2);
    const pct = (n: number) => `${((100 * n) / total.max).toFixed(1)} %`;
    console.log(
      `${label} (${engine}): ${total.items} items, earned ${pct(total.earned)}, chance ${pct(total.expected)} ± ${pct(d)}`,
    );
    expect(total.earned).toBeLessThanOrEqual(total.expected + d);
    expect(total.earned).toBeGreaterThanOrEqual(total.expected - d);
    // Like chance, never like the key: well under a pass mark of 70 %.
    expect(total.earned / total.max).toBeLessThan(0.6);
  }

  const add = (
    a: { earned: number; expected: number; spread: number; max: number; items: number },
    b: typeof a,
  ) => ({
    earned: a.earned + b.earned,
    expected: a.expected + b.expected,
    spread: a.spread + b.spread,
    max: a.max + b.max,
    items: a.items + b.items,
  });
  const zero = { earned: 0, expected: 0, spread: 0, max: 0, items: 0 };

  it('every shipped bank: answering by sorted ids or by the first option shown scores like chance', async () => {
    const banks = (await t.as(admin).get('/api/v1/question-banks').expect(200)).body as {
      id: string;
      sector: string;
      name: string;
    }[];
    expect(banks.length).toBeGreaterThanOrEqual(10);
    let bySortedIds = zero;
    let byFirstShown = zero;
    for (const bank of banks) {
      bySortedIds = add(
        bySortedIds,
        await sit(await examOfBank(bank.id, bank.sector, true), sortedIds),
      );
      // Questions not shuffled: the attack on the authoring order.
      byFirstShown = add(
        byFirstShown,
        await sit(await examOfBank(bank.id, bank.sector, false), firstShown),
      );
    }
    // 242 single choice, 62 multiple response and 37 matching were keyed by "a" and l_n → r_n.
    expect(bySortedIds.items).toBeGreaterThan(300);
    expectChance('shipped banks, sorted ids', bySortedIds);
    expectChance('shipped banks, first shown', byFirstShown);
  }, 600_000);

  /** A bank written as GIFT authors write it: the right answer first. */
  const RIGHT_FIRST = [
    ...Array.from(
      { length: 40 },
      (_, i) =>
        `::PG${i}:: Soal pilihan ganda ${i}? {=Benar ${i} ~Keliru ${i}A ~Keliru ${i}B ~Keliru ${i}C}`,
    ),
    ...Array.from(
      { length: 12 },
      (_, i) =>
        `::PK${i}:: Soal pilihan ganda kompleks ${i}? {~%50%Tepat ${i}A ~%50%Tepat ${i}B ~%-100%Salah ${i}A ~%-100%Salah ${i}B}`,
    ),
    ...Array.from(
      { length: 12 },
      (_, i) =>
        `::JD${i}:: Pasangkan ${i}. {=Kiri ${i}A -> Kanan ${i}A =Kiri ${i}B -> Kanan ${i}B =Kiri ${i}C -> Kanan ${i}C =Kiri ${i}D -> Kanan ${i}D}`,
    ),
  ].join('\n\n');

  async function rightFirstBank() {
    const bank = (
      await t
        .as(admin)
        .post('/api/v1/question-banks')
        .send({ name: `Kunci di depan ${Date.now()}`, sector: 'health' })
        .expect(201)
    ).body.id as string;
    const imported = await t
      .as(admin)
      .post(`/api/v1/question-banks/${bank}/import?format=gift`)
      .set('content-type', 'text/plain')
      .send(RIGHT_FIRST)
      .expect(200);
    expect(imported.body).toMatchObject({ imported: 64, skipped: [] });
    return bank;
  }

  it('an imported GIFT bank with the right answer first: ids and order give nothing away', async () => {
    const bank = await rightFirstBank();
    // The key is what the old ids gave away: "a" right, "a, b" right, l_n → r_n right.
    const stored = (await t.as(admin).get(`/api/v1/question-banks/${bank}/questions`)).body as {
      type: string;
      definition: Def;
    }[];
    const choice = stored.find((q) => q.type === 'single_choice')!.definition;
    expect((choice.options as { id: string; fraction: number }[])[0]).toMatchObject({
      id: 'a',
      fraction: 1,
    });
    for (const [shuffle, strategy, label] of [
      [true, sortedIds, 'right-first GIFT, sorted ids'],
      [false, sortedIds, 'right-first GIFT, questions in order, sorted ids'],
      [false, firstShown, 'right-first GIFT, questions in order, first shown'],
    ] as const) {
      const exam = await examOfBank(bank, 'health', shuffle);
      // Two candidates each, so each strategy rests on 128 items.
      const total = add(await sit(exam, strategy), await sit(exam, strategy));
      expect(total.items).toBe(128);
      expectChance(label, total);
    }
  }, 300_000);

  it("a matching question that keeps its order (Moodle's shuffleanswers 0) still shuffles its right column", async () => {
    // Imports write the right items in the order of the left ones: kept, right[i] answers left[i].
    const pairs = [
      ['Jakarta', 'Indonesia'],
      ['Tokyo', 'Jepang'],
      ['Paris', 'Prancis'],
      ['Roma', 'Italia'],
      ['Madrid', 'Spanyol'],
      ['Kairo', 'Mesir'],
    ];
    const xml =
      '<quiz><question type="matching"><name><text>Ibu kota</text></name>' +
      '<questiontext><text>Jodohkan ibu kota dengan negaranya.</text></questiontext>' +
      '<shuffleanswers>0</shuffleanswers>' +
      pairs
        .map(
          ([l, r]) =>
            `<subquestion><text>${l}</text><answer><text>${r}</text></answer></subquestion>`,
        )
        .join('') +
      '</question></quiz>';
    const bank = await aHealthBank(t, admin, `Urutan tetap ${Date.now()}`);
    await importQuestions(t, admin, bank, 'moodle-xml', xml).expect(200);
    const exam = await examOfBank(bank, 'health', false);
    let pairedByPlace = 0;
    for (let i = 0; i < 4; i++) {
      const { items } = (
        await t
          .as(await asn())
          .post(`/api/v1/assessments/${exam}/attempts`)
          .expect(201)
      ).body as { items: CandidateItem[] };
      const [item] = items;
      // The left column keeps the author's order; the right one is drawn anew.
      expect(item.left!.map((l) => l.text)).toEqual(pairs.map(([l]) => l));
      pairedByPlace += item.left!.filter((l, at) => item.right![at].text === pairs[at][1]).length;
    }
    // In the author's order all 24 places pair; shuffled, about one in six does.
    expect(pairedByPlace).toBeLessThan(24);
  });

  it('two candidates see different ids for the same question; one candidate the same ids on reload', async () => {
    const bank = await rightFirstBank();
    const exam = await examOfBank(bank, 'health', false);
    const start = async (token: string) =>
      (await t.as(token).post(`/api/v1/assessments/${exam}/attempts`)).body as {
        id: string;
        items: CandidateItem[];
      };
    const [one, two] = [await asn(), await asn()];
    const first = await start(one);
    const second = await start(two);
    const idsOf = (items: CandidateItem[]) =>
      items.flatMap((i) =>
        [...(i.options ?? []), ...(i.left ?? []), ...(i.right ?? [])].map(
          (o) => `${o.text}=${o.id}`,
        ),
      );
    const mine = idsOf(first.items);
    const theirs = new Set(idsOf(second.items).map((s) => s.split('=')[1]));
    expect(mine.length).toBeGreaterThan(300);
    expect(mine.filter((s) => theirs.has(s.split('=')[1]))).toEqual([]);
    // Reload (read again, start again): the same ids in the same order.
    const again = (await t.as(one).get(`/api/v1/attempts/${first.id}`).expect(200)).body as {
      items: CandidateItem[];
    };
    expect(idsOf(again.items)).toEqual(mine);
    const resumed = await start(one);
    expect(resumed.id).toBe(first.id);
    expect(idsOf(resumed.items)).toEqual(mine);
  }, 120_000);

  it('the exam page, the attempt JSON, the saves and the errors carry no authoring id', async () => {
    const bank = await rightFirstBank();
    const exam = await examOfBank(bank, 'health', false);
    const user = await t.createUser('asn');
    const token = await t.tokenFor(user);
    const attempt = (await t.as(token).post(`/api/v1/assessments/${exam}/attempts`).expect(201))
      .body as { id: string; items: (CandidateItem & { response: unknown })[] };
    const keys = await keyOfAttempt(t.dataSource, attempt.id);
    const authoring = new Set<string>();
    for (const { definition } of keys.values())
      for (const list of ['options', 'left', 'right', 'items'])
        for (const entry of (definition[list] ?? []) as { id: string }[]) authoring.add(entry.id);
    expect([...authoring]).toEqual(expect.arrayContaining(['a', 'b', 'l1', 'r1']));
    const leaks = (text: string) =>
      [...text.matchAll(/([\w:-]+)="([^"]*)"/g)]
        .filter(([, , value]) =>
          [...authoring].some(
            (id) => value === id || value.endsWith(`.${id}`) || value.endsWith(`_${id}`),
          ),
        )
        .map(([attribute]) => attribute);
    const jsonIds = (items: CandidateItem[]) =>
      items.flatMap((i) =>
        [...(i.options ?? []), ...(i.left ?? []), ...(i.right ?? []), ...(i.items ?? [])].map(
          (o) => o.id,
        ),
      );
    expect(jsonIds(attempt.items).filter((id) => authoring.has(id))).toEqual([]);

    // Answer everything right (with the attempt's ids) so the page shows saved answers too.
    for (const item of attempt.items) {
      const response = rightFor(item, keys.get(item.slot)!);
      const saved = await t
        .as(token)
        .put(`/api/v1/attempts/${attempt.id}/answers/${item.slot}`)
        .send({ response, seq: 1 })
        .expect(200);
      expect(saved.body.response).toEqual(response);
      // A stale save answers with what is stored: in the attempt's ids.
      const stale = await t
        .as(token)
        .put(`/api/v1/attempts/${attempt.id}/answers/${item.slot}`)
        .send({ response, seq: 1 })
        .expect(200);
      expect(stale.body).toMatchObject({ saved: false, response });
    }
    const read = (await t.as(token).get(`/api/v1/attempts/${attempt.id}`)).body as {
      items: (CandidateItem & { response: unknown })[];
    };
    expect(jsonIds(read.items).filter((id) => authoring.has(id))).toEqual([]);
    for (const item of read.items)
      expect(item.response).toEqual(rightFor(item, keys.get(item.slot)!));

    const { agent } = await signInAgent(t, user.email!);
    for (const path of [`/ujian/percobaan/${attempt.id}`, `/ujian/percobaan/${attempt.id}?no=1`]) {
      const page = await agent.get(path).expect(200);
      expect(page.text).toContain('data-slot="1"');
      expect(leaks(page.text)).toEqual([]);
    }

    // A wrong id is refused without the list of right ones (nor the ids of the question).
    const single = read.items.find((i) => i.type === 'single_choice')!;
    const multiple = read.items.find((i) => i.type === 'multiple_response')!;
    const matching = read.items.find((i) => i.type === 'matching')!;
    for (const [item, wrong] of [
      [single, 'a'],
      [single, 'zzz'],
      [multiple, ['a', 'b']],
      [multiple, [multiple.options![0].id, 'c']],
      [matching, { l1: 'r1' }],
      [matching, { [matching.left![0].id]: 'r1' }],
    ] as const) {
      const refused = await t
        .as(token)
        .put(`/api/v1/attempts/${attempt.id}/answers/${item.slot}`)
        .send({ response: wrong })
        .expect(400);
      const message = JSON.stringify(refused.body);
      expect(message).toContain('response');
      for (const entry of [...(item.options ?? []), ...(item.left ?? []), ...(item.right ?? [])])
        expect(message).not.toContain(entry.id);
      expect(message).not.toMatch(/"[a-d]"|\b[a-d], [a-d]\b|\b[lr]\d\b/);
    }
  }, 120_000);

  it('the right answer in opaque ids scores full marks, and results, review and analysis call it right', async () => {
    const bank = (
      await t
        .as(admin)
        .post('/api/v1/question-banks')
        .send({ name: `Kredit penuh ${Date.now()}`, sector: 'health' })
        .expect(201)
    ).body.id as string;
    await t
      .as(admin)
      .post(`/api/v1/question-banks/${bank}/import?format=gift`)
      .set('content-type', 'text/plain')
      .send(
        [
          // Thirds, as the shipped banks write them: 0.333333 × 3 = 0.999999.
          '::MR:: Lima momen, tiga di antaranya? {~%33.33333%Sebelum kontak pasien ~%33.33333%Sebelum tindakan aseptik ~%33.33333%Setelah kontak pasien ~%-100%Setelah makan siang}',
          '::SC:: Ibu kota Sumatera Utara? {=Medan ~Padang ~Sibolga}',
          '::TF:: Cuci tangan sebelum kontak pasien. {T}',
          '::SA:: Singkatan pusat kesehatan masyarakat? {=puskesmas}',
          '::NUM:: Dua tambah dua? {#4:0}',
          '::MATCH:: Pasangkan. {=SKP -> Kinerja =SPBE -> Elektronik =PPI -> Infeksi}',
          '::ESSAY:: Jelaskan lima momen kebersihan tangan. {}',
        ].join('\n\n'),
      )
      .expect(200);
    const exam = await examOfBank(bank, 'health', true, { reviewPolicy: 'feedback' });
    const user = await t.createUser('asn');
    const token = await t.tokenFor(user);
    const attempt = (await t.as(token).post(`/api/v1/assessments/${exam}/attempts`).expect(201))
      .body as { id: string; items: (CandidateItem & { points: number })[] };
    const keys = await keyOfAttempt(t.dataSource, attempt.id);
    for (const item of attempt.items)
      await t
        .as(token)
        .put(`/api/v1/attempts/${attempt.id}/answers/${item.slot}`)
        .send({ response: rightFor(item, keys.get(item.slot)!) })
        .expect(200);
    await t.as(token).post(`/api/v1/attempts/${attempt.id}/submit`).expect(200);
    const essay = attempt.items.find((i) => i.type === 'essay')!;
    await t
      .as(admin)
      .post(`/api/v1/attempts/${attempt.id}/answers/${essay.slot}/grade`)
      .send({ score: essay.points, comment: 'Lengkap' })
      .expect(200);
    const result = (await t.as(token).get(`/api/v1/attempts/${attempt.id}`).expect(200)).body as {
      status: string;
      result: { percent: number; passed: boolean };
      items: { type: string; correct: boolean; score: number; points: number }[];
    };
    expect(result.status).toBe('graded');
    expect(result.result).toMatchObject({ percent: 100, passed: true });
    expect(result.items.map((i) => [i.type, i.correct, i.score === i.points])).toEqual(
      result.items.map((i) => [i.type, true, true]),
    );

    const { agent } = await signInAgent(t, user.email!);
    const page = await agent.get(`/ujian/percobaan/${attempt.id}/hasil`).expect(200);
    expect(page.text).not.toContain('Belum tepat');
    expect(page.text.match(/· Benar \(/g)).toHaveLength(7);

    const analysis = (
      await t.as(admin).get(`/api/v1/reports/assessments/${exam}/items`).expect(200)
    ).body as { items: { name: string; correct: number; facility: number; flags: string[] }[] };
    expect(analysis.items).toHaveLength(7);
    for (const item of analysis.items) {
      expect(item).toMatchObject({ correct: 1, facility: 1 });
      expect(item.flags).not.toContain('nobody_right');
    }
    const csv = await t
      .as(admin)
      .get(`/api/v1/reports/assessments/${exam}/items?format=csv`)
      .expect(200);
    const [header, ...rows] = csv.text.trim().split(/\r?\n/);
    const column = header.split(',').indexOf('Benar Penuh');
    expect(column).toBeGreaterThan(-1);
    expect(rows.map((r) => r.split(',')[column])).toEqual(rows.map(() => '1'));
  }, 120_000);
});
