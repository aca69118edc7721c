import fc from 'fast-check';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import {
  checkProperty,
  describeResponse,
  encodeSegment,
  errorShapeProblem,
  fillPath,
  fingerprintOf,
  hostileString,
  HOSTILE_RUNS,
  HOSTILE_SEED,
  type Operation,
  opName,
  operationsOf,
  snapshotTables,
  tableChanges,
} from '../helpers/hostile.js';
import {
  garbage,
  GIFT,
  hostileCsv,
  HOSTILE_DOCUMENTS,
  hostileFilename,
  hostileGift,
  hostileMoodleXml,
  hostileTables,
  HOSTILE_XML,
  multipart,
  utf16le,
} from '../helpers/hostile-files.js';
import {
  type HostileFixtures,
  realParam,
  seedHostileFixtures,
} from '../helpers/hostile-fixtures.js';
import { bootTestApp, engine, type TestApp } from '../helpers/test-app.js';

/** Per test: a deeper local run (`HOSTILE_RUNS=100`) takes longer than Jest's minute. */
const TIMEOUT = Math.max(60_000, HOSTILE_RUNS * 6_000);

const MB = 1024 * 1024;
/** The real header of each table import: hostile rows need it to get past the header check. */
const TABLE_HEADERS: Record<string, { header: string[]; firstCell: (cell: string) => string }> = {
  '/api/v1/users/import': {
    header: ['NIP', 'Nama', 'Email', 'Unit Kerja', 'Jabatan', 'Peran', 'Sektor'],
    // A NIP is 18 digits: a leading "x" makes every row invalid, so nothing may be saved.
    firstCell: (cell) => `x${cell}`,
  },
  '/api/v1/positions/standards/import': {
    header: ['Kode Jabatan', 'Kode Kompetensi', 'Level'],
    // No position has a code starting with "~": every row is skipped.
    firstCell: (cell) => `~${cell}`,
  },
};

type Kind = 'interchange' | 'table' | 'document';
/** Upload routes by what they read: question files, tables, or stored documents. */
const kindOf = (op: Operation): Kind =>
  op.queryParams.some((p) => p.name === 'format')
    ? 'interchange'
    : op.path.endsWith('/import')
      ? 'table'
      : 'document';

interface Upload {
  body: Buffer | string;
  contentType: string;
  query?: string;
}

/**
 * Issue 11, uploads: every upload route (those the OpenAPI document lists with a file body)
 * gets malformed, truncated and hostile files — zip bombs, XXE and billion laughs, wrong
 * encodings, malformed multipart — and must refuse them with a 4xx, quickly, without a
 * memory blow-up, saving nothing (rows or stored files). Hostile content that parses (GIFT,
 * Moodle XML, CSV rows) is sent as a dry run, or made invalid row by row, and must not 500.
 */
describe(`hostile uploads (${engine})`, () => {
  let t: TestApp;
  let fx: HostileFixtures;
  let ops: Operation[];
  let dataDir: string;
  let before: Record<string, string[]>;
  let filesBefore: string[];
  let peakBefore: number;
  const unknownParams = new Set<string>();
  const tried = { files: 0, generated: 0 };
  let slowest = { ms: 0, what: '' };
  const started = Date.now();

  const storedFiles = (): string[] => {
    const root = join(dataDir, 'files');
    try {
      return readdirSync(root, { recursive: true }).map(String).sort();
    } catch {
      return [];
    }
  };

  beforeAll(async () => {
    // A data folder of our own, so that stored files can be counted.
    dataDir = mkdtempSync(join(tmpdir(), 'sa-hostile-'));
    t = await bootTestApp({ env: { DATA_DIR: dataDir } });
    fx = await seedHostileFixtures(t);
    // Files go to the lessons of a draft; a published course takes none.
    const draft = await t
      .as(fx.coordinator)
      .post(`/api/v1/courses/${fx.ids.course}/draft`)
      .expect(201);
    const fileLesson = (draft.body.lessons as { id: string; kind: string }[]).find(
      (l) => l.kind === 'file',
    )!;
    fx.ids.course = draft.body.id;
    fx.ids.lesson = fx.ids.fileLesson = fileLesson.id;
    const doc = (await t.http.get('/api/docs-json').expect(200)).body;
    ops = operationsOf(doc).filter((op) => op.uploads.length);
    before = await snapshotTables(t.dataSource);
    filesBefore = storedFiles();
    peakBefore = process.resourceUsage().maxRSS;
  });

  afterAll(async () => {
    const peakGrowth = (process.resourceUsage().maxRSS - (peakBefore ?? 0)) / 1024;
    console.log(
      `hostile uploads (${engine}, seed ${HOSTILE_SEED}): ${ops?.length ?? 0} upload routes ` +
        `(${ops?.map(opName).join(', ')}), ${tried.files + tried.generated} files tried ` +
        `(${tried.files} crafted, ${tried.generated} generated); slowest ${slowest.ms} ms ` +
        `(${slowest.what}); peak memory grew ${peakGrowth.toFixed(0)} MB; ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s` +
        (unknownParams.size ? `; no real record for ${[...unknownParams].join(', ')}` : ''),
    );
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const urlOf = (op: Operation, query = '') =>
    fillPath(
      op.path,
      Object.fromEntries(
        op.pathParams.map((p) => [
          p.name,
          encodeURIComponent(realParam(op, p.name, fx.ids, unknownParams)),
        ]),
      ),
    ) + (query ? `?${query}` : '');

  async function send(op: Operation, upload: Upload, what: string): Promise<Response> {
    const started = Date.now();
    const res = await t
      .as(fx.admin)
      .post(urlOf(op, upload.query))
      .timeout({ response: 20_000, deadline: 30_000 })
      .set('content-type', upload.contentType)
      .send(upload.body);
    const ms = Date.now() - started;
    if (ms > slowest.ms) slowest = { ms, what: `${opName(op)}: ${what}` };
    return res;
  }

  /** The ways a route takes a file: multipart, or the raw body with each declared type. */
  function transports(op: Operation, content: Buffer | string, filename: string): Upload[] {
    return op.uploads.map((type) =>
      type === 'multipart/form-data'
        ? multipart([{ name: 'file', filename, content }])
        : { body: content, contentType: type },
    );
  }

  /** Checks a refusal: a 4xx in the error shape, and nothing echoed from a file we pointed at. */
  function refusalProblem(res: Response, mode: '4xx' | 'no5xx'): string | null {
    if (/root:.*:0:0:/.test(res.text ?? '')) return `leaked /etc/passwd: ${describeResponse(res)}`;
    if (mode === 'no5xx' && res.status < 400) return null;
    return errorShapeProblem(res);
  }

  it(
    'refuses malformed requests on every upload route: empty, garbage, too big, broken multipart',
    async () => {
      const failures: string[] = [];
      for (const op of ops) {
        const cases: Record<string, Upload[]> = {
          'empty file': transports(op, Buffer.alloc(0), 'kosong.csv'),
          'over the 5 MB limit': transports(op, Buffer.alloc(5 * MB + 1024, 0x41), 'besar.csv'),
          'JSON instead of a file': [{ body: '{"file":"x"}', contentType: 'application/json' }],
          'a content type no route takes': [{ body: 'x', contentType: 'image/png' }],
        };
        if (op.uploads.includes('multipart/form-data')) {
          const junk = Buffer.from([0xff, 0x00, 0xc3, 0x28, 0x01]);
          cases['multipart with the file in another field'] = [
            multipart([{ name: 'berkas', filename: 'a.csv', content: junk }]),
          ];
          cases['multipart without a file'] = [multipart([{ name: 'file', content: 'teks' }])];
          cases['multipart with no parts'] = [multipart([])];
          cases['multipart with two files'] = [
            multipart([
              { name: 'file', filename: 'a.bin', content: junk },
              { name: 'file', filename: 'b.bin', content: junk },
            ]),
          ];
          cases['multipart cut short'] = [
            multipart([{ name: 'file', filename: 'a.bin', content: junk }], { unterminated: true }),
          ];
          cases['multipart without a boundary'] = [
            multipart([{ name: 'file', filename: 'a.bin', content: junk }], { declared: null }),
          ];
          cases['multipart with another boundary'] = [
            multipart([{ name: 'file', filename: 'a.bin', content: junk }], { declared: 'lain' }),
          ];
          cases['multipart with 30 fields'] = [
            multipart(Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, content: 'x' }))),
          ];
        }
        for (const [what, uploads] of Object.entries(cases))
          for (const upload of uploads) {
            tried.files += 1;
            const res = await send(op, upload, what);
            const problem = refusalProblem(res, '4xx');
            if (problem)
              failures.push(`${opName(op)}: ${what} (${upload.contentType}): ${problem}`);
          }

        const failure = await checkProperty(
          `${opName(op)} garbage`,
          fc.tuple(garbage, hostileFilename, fc.nat()),
          async ([bytes, filename, pick]) => {
            tried.generated += 1;
            const all = transports(op, bytes, filename);
            const upload = all[pick % all.length];
            const res = await send(op, upload, 'garbage');
            const problem = refusalProblem(res, '4xx');
            if (problem) throw new Error(`${upload.contentType}: ${problem}`);
          },
        );
        if (failure) failures.push(failure);
      }
      expect(failures).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'refuses XXE, billion laughs, wrong encodings and broken files in question imports',
    async () => {
      const failures: string[] = [];
      for (const op of ops.filter((o) => kindOf(o) === 'interchange')) {
        const cases: [string, Buffer | string, string][] = [
          ...Object.entries(HOSTILE_XML).map(
            ([what, file]) =>
              [what, file, 'format=moodle-xml'] as [string, Buffer | string, string],
          ),
          ['GIFT in UTF-16', utf16le(GIFT), 'format=gift'],
          ['GIFT in Latin-1', Buffer.from('::Soal:: Kafé {T}', 'latin1'), 'format=gift'],
          ['an XLSX as GIFT', hostileTables(['nip'])['XLSX truncated'], 'format=gift'],
          [
            'a zip bomb as Moodle XML',
            hostileTables(['nip'])['XLSX zip bomb, 1 GB declared'],
            'format=moodle-xml',
          ],
          ['an unknown format', GIFT, 'format=csv'],
          ['a repeated format', GIFT, 'format=gift&format=moodle-xml'],
        ];
        for (const [what, file, query] of cases)
          for (const upload of transports(op, file, 'soal.xml')) {
            tried.files += 1;
            const res = await send(op, { ...upload, query }, what);
            const problem = refusalProblem(res, '4xx');
            if (problem)
              failures.push(`${opName(op)}: ${what} (${upload.contentType}): ${problem}`);
          }

        const generated: [
          string,
          fc.Arbitrary<{ text: string; query: string; mode: '4xx' | 'no5xx' }>,
        ][] = [
          [
            'GIFT',
            hostileGift.map((text) => ({
              text,
              query: 'format=gift&dryRun=true',
              mode: 'no5xx' as const,
            })),
          ],
          [
            'Moodle XML',
            hostileMoodleXml.map((text) => ({
              text,
              query: 'format=moodle-xml&dryRun=true',
              mode: 'no5xx' as const,
            })),
          ],
          [
            'format',
            hostileString
              .filter((f) => f !== 'gift' && f !== 'moodle-xml')
              .map((f) => ({
                text: GIFT,
                query: `format=${encodeSegment(f)}`,
                mode: '4xx' as const,
              })),
          ],
        ];
        for (const [what, arbitrary] of generated) {
          const failure = await checkProperty(
            `${opName(op)} ${what}`,
            fc.tuple(arbitrary, fc.nat()),
            async ([input, pick]) => {
              tried.generated += 1;
              const all = transports(op, input.text, 'soal.txt');
              const res = await send(op, { ...all[pick % all.length], query: input.query }, what);
              const problem = refusalProblem(res, input.mode);
              if (problem) throw new Error(problem);
            },
          );
          if (failure) failures.push(failure);
        }
      }
      expect(failures).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'refuses zip bombs and broken spreadsheets in table imports, and saves no hostile row',
    async () => {
      const failures: string[] = [];
      for (const op of ops.filter((o) => kindOf(o) === 'table')) {
        const known = TABLE_HEADERS[op.path] ?? { header: ['a', 'b'], firstCell: (c: string) => c };
        for (const [what, file] of Object.entries(hostileTables(known.header)))
          for (const upload of transports(op, file, 'data.xlsx')) {
            tried.files += 1;
            const res = await send(op, upload, what);
            const problem = refusalProblem(res, '4xx');
            if (problem)
              failures.push(`${opName(op)}: ${what} (${upload.contentType}): ${problem}`);
          }
        const failure = await checkProperty(
          `${opName(op)} rows`,
          fc.tuple(hostileCsv(known.header, known.firstCell), fc.nat()),
          async ([csv, pick]) => {
            tried.generated += 1;
            const all = transports(op, csv, 'data.csv');
            const res = await send(op, all[pick % all.length], 'hostile rows');
            const problem = refusalProblem(res, 'no5xx');
            if (problem) throw new Error(problem);
          },
        );
        if (failure) failures.push(failure);
      }
      expect(failures).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'refuses documents that are not what they claim, whatever their name',
    async () => {
      const failures: string[] = [];
      for (const op of ops.filter((o) => kindOf(o) === 'document')) {
        for (const [what, { content, filename }] of Object.entries(HOSTILE_DOCUMENTS))
          for (const upload of transports(op, content, filename)) {
            tried.files += 1;
            const res = await send(op, upload, what);
            const problem = refusalProblem(res, '4xx');
            if (problem)
              failures.push(`${opName(op)}: ${what} (${upload.contentType}): ${problem}`);
          }
      }
      expect(failures).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'kept memory in check, and saved nothing: no row, no stored file',
    async () => {
      const growth = (process.resourceUsage().maxRSS - peakBefore) / 1024;
      // A zip bomb inflated in memory took gigabytes (and the process) before.
      expect(growth).toBeLessThan(768);
      expect(storedFiles()).toEqual(filesBefore);
      const after = await snapshotTables(t.dataSource);
      expect({ fingerprint: fingerprintOf(after), changes: tableChanges(before, after) }).toEqual({
        fingerprint: fingerprintOf(before),
        changes: [],
      });
    },
    TIMEOUT,
  );
});
