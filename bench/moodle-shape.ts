/**
 * Moodle's load shape, run by `bench:exam` beside its own storm so the figures can be set
 * next to Moodle's published ones: 20 connections, a 20-question single-choice exam, 50
 * candidates, each phase measured on its own:
 *   - a burst of 50 starts, 20 at a time;
 *   - save one answer: autocannon for `seconds`, each request a new answer (rising seq) to a
 *     random slot of a random one of the 50 attempts;
 *   - finish + grade the 50 attempts, 20 at a time;
 *   - the floor: GET /api/v1/me (authenticated), GET /health (database ping) and
 *     GET /health/live (no database, no auth), autocannon for `seconds` each.
 * The load generator runs in this process and shares the machine's cores with the app.
 */
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { type Api, type AttemptView, type BenchApp, Samples, inPool, pick } from './harness.js';

export const MOODLE_CONNECTIONS = 20;
const MOODLE_CANDIDATES = 50;
const MOODLE_QUESTIONS = 20;

export interface Rate {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** Errors by kind, for the report. */
  errorText: string;
}

export interface MoodleShape {
  starts: Rate;
  saves: Rate & { stored: number };
  submits: Rate;
  me: Rate;
  health: Rate;
  live: Rate;
}

/** 20 single-choice questions in GIFT, as Moodle's load test uses. */
function singleChoiceGift(): string {
  return Array.from(
    { length: MOODLE_QUESTIONS },
    (_, i) =>
      `::SC${i + 1}:: Pertanyaan pilihan tunggal nomor ${i + 1}? {=Benar ${i + 1} ~Salah A ~Salah B ~Salah C}`,
  ).join('\n\n');
}

/** A published single-choice assessment of the room's coordinator. */
async function singleChoiceExam(api: Api, coordinatorToken: string): Promise<string> {
  const bank = await api.must<{ id: string }>('create bank', 'POST', '/api/v1/question-banks', {
    token: coordinatorToken,
    json: { name: 'Bank Pilihan Tunggal', sector: 'health' },
  });
  await api.must('import GIFT', 'POST', `/api/v1/question-banks/${bank.id}/import?format=gift`, {
    token: coordinatorToken,
    text: singleChoiceGift(),
    type: 'text/plain',
  });
  const assessment = await api.must<{ id: string }>('create', 'POST', '/api/v1/assessments', {
    token: coordinatorToken,
    json: {
      title: 'Ujian Pilihan Tunggal',
      sector: 'health',
      timeLimitMinutes: 90,
      passPercent: 60,
      maxAttempts: 1,
      shuffle: true,
      sections: [{ bankId: bank.id, count: MOODLE_QUESTIONS }],
    },
  });
  await api.must('publish', 'POST', `/api/v1/assessments/${assessment.id}/publish`, {
    token: coordinatorToken,
  });
  return assessment.id;
}

function rateOf(samples: Samples, seconds: number): Rate {
  const p = samples.percentiles();
  return {
    perSecond: samples.ok / seconds,
    p50: p.p50,
    p99: p.p99,
    errors: samples.errorCount,
    errorText: samples.describeErrors(),
  };
}

/** `count` calls, `MOODLE_CONNECTIONS` at a time; the rate is calls per second of the whole. */
async function burst(
  items: number[],
  call: (i: number) => Promise<{ reply: Parameters<Samples['add']>[0]; ok: boolean }>,
): Promise<Rate> {
  const samples = new Samples();
  const started = performance.now();
  await inPool(items, MOODLE_CONNECTIONS, async (i) => {
    const { reply, ok } = await call(i);
    samples.add(reply, ok);
  });
  return rateOf(samples, (performance.now() - started) / 1000);
}

function fromAutocannon(result: autocannon.Result): Rate {
  const errors = result.non2xx + result.errors + result.timeouts;
  return {
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
    errorText: errors
      ? `${errors} (non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts})`
      : '0',
  };
}

function cannon(
  port: number,
  seconds: number,
  options: Partial<autocannon.Options> & { path?: string },
): Promise<autocannon.Result> {
  const { path = '', ...rest } = options;
  return autocannon({
    ...rest,
    url: `http://127.0.0.1:${port}${path}`,
    connections: MOODLE_CONNECTIONS,
    duration: seconds,
  });
}

/**
 * Runs Moodle's shape on a started app with at least 50 signed-in candidates who have not
 * yet sat the single-choice exam this creates.
 */
export async function runMoodleShape(
  bench: BenchApp,
  room: { candidates: { token: string }[]; coordinatorToken: string },
  seconds: number,
): Promise<MoodleShape> {
  const api = bench.api!;
  const port = api.port;
  const assessmentId = await singleChoiceExam(api, room.coordinatorToken);
  const candidates = room.candidates.slice(0, MOODLE_CANDIDATES);
  if (candidates.length < MOODLE_CANDIDATES)
    throw new Error(`Moodle's shape needs ${MOODLE_CANDIDATES} candidates`);
  const indexes = candidates.map((_, i) => i);

  // -------- a burst of 50 starts
  const attempts: AttemptView[] = [];
  const starts = await burst(indexes, async (i) => {
    const reply = await api.call('POST', `/api/v1/assessments/${assessmentId}/attempts`, {
      token: candidates[i].token,
    });
    const attempt = reply.body as AttemptView;
    const ok = reply.status === 201 && !!attempt?.items;
    if (ok) attempts[i] = attempt;
    return { reply, ok };
  });
  for (const i of indexes)
    attempts[i] ??= await api.must<AttemptView>(
      'retry start',
      'POST',
      `/api/v1/assessments/${assessmentId}/attempts`,
      { token: candidates[i].token },
    );

  // -------- save one answer, for `seconds`: every request a newer answer of some slot
  const seqs = new Map<string, number>();
  let stored = 0;
  const saveResult = await cannon(port, seconds, {
    requests: [
      {
        method: 'PUT',
        setupRequest: (request) => {
          const i = Math.floor(Math.random() * attempts.length);
          const attempt = attempts[i];
          const item = pick(attempt.items);
          const key = `${attempt.id}:${item.slot}`;
          const seq = (seqs.get(key) ?? 0) + 1;
          seqs.set(key, seq);
          return {
            ...request,
            path: `/api/v1/attempts/${attempt.id}/answers/${item.slot}`,
            headers: {
              authorization: `Bearer ${candidates[i].token}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({ response: pick(item.options!).id, seq }),
          };
        },
        onResponse: (status, body) => {
          if (status === 200 && body.includes('"saved":true')) stored++;
        },
      },
    ],
  });
  const saves = { ...fromAutocannon(saveResult), stored };

  // -------- finish + grade the 50 attempts
  const submits = await burst(indexes, async (i) => {
    const reply = await api.call('POST', `/api/v1/attempts/${attempts[i].id}/submit`, {
      token: candidates[i].token,
    });
    return { reply, ok: reply.status === 200 };
  });

  // -------- the floor
  const me = fromAutocannon(
    await cannon(port, seconds, {
      path: '/api/v1/me',
      headers: { authorization: `Bearer ${candidates[0].token}` },
    }),
  );
  const health = fromAutocannon(await cannon(port, seconds, { path: '/health' }));
  const live = fromAutocannon(await cannon(port, seconds, { path: '/health/live' }));
  return { starts, saves, submits, me, health, live };
}

/** The shape's table, one line per phase, with each rate's share of the floor. */
export function printMoodleShape(engine: string, shape: MoodleShape, seconds: number): void {
  const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(0)} ms` : '-');
  const row = (label: string, r: Rate) =>
    console.log(
      `${label.padEnd(27)} ${r.perSecond.toFixed(0).padStart(7)}/s  p50 ${ms(r.p50).padStart(7)}  p99 ${ms(r.p99).padStart(7)}  ` +
        `${(r.perSecond / shape.live.perSecond).toFixed(3)} of /health/live  errors ${r.errorText}`,
    );
  console.log(
    `\n== ${engine}: Moodle's shape — ${MOODLE_CONNECTIONS} connections, ${MOODLE_CANDIDATES} candidates, ` +
      `${MOODLE_QUESTIONS} single-choice questions, ${seconds} s per timed phase`,
  );
  row('save one answer', shape.saves);
  console.log(`${''.padEnd(27)} ${shape.saves.stored} answers stored (saved: true)`);
  row(`burst of ${MOODLE_CANDIDATES} starts`, shape.starts);
  row(`finish + grade, ${MOODLE_CANDIDATES}`, shape.submits);
  row('GET /api/v1/me', shape.me);
  row('GET /health', shape.health);
  row('GET /health/live', shape.live);
}
