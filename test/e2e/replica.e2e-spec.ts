import mysql from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { ReplicaReads } from '../../src/database/replica-reads.js';
import { User } from '../../src/identity/user.entity.js';
import { bootTestApp, TEST_PASSWORD, type TestApp } from '../helpers/test-app.js';

const primaryUrl = process.env.REPLICA_PRIMARY_URL;
const replicaUrl = process.env.REPLICA_URL;

const GIFT = [
  '::Q1:: Pertanyaan satu? {=Benar ~Salah ~Ragu}',
  '::Q2:: Pertanyaan dua? {=Benar ~Salah ~Ragu}',
].join('\n\n');

type Row = mysql.RowDataPacket;

/**
 * Read replicas for real (issue 12), on a MariaDB primary and a replica of it that
 * `bash scripts/replica.sh start` runs on this machine. With the replica's SQL thread
 * paused (replication lag that lasts as long as the test wants), a report still shows the
 * numbers from before a write, so it was read from the replica, while a login and an exam
 * attempt see the write at once, so they were served by the primary.
 *
 * The app reads the replica as a user that may only SELECT the test database: a write sent
 * to the replica by mistake fails instead of passing unnoticed (root ignores read_only).
 */
const ready = Boolean(primaryUrl && replicaUrl);
const suite = ready ? describe : describe.skip;
const title = ready
  ? 'read replicas (MariaDB primary and replica)'
  : 'read replicas: skipped, set REPLICA_PRIMARY_URL and REPLICA_URL ' +
    '(bash scripts/replica.sh start && eval "$(bash scripts/replica.sh env)")';

suite(title, () => {
  let primary: mysql.Connection;
  let replica: mysql.Connection;
  let t: TestApp | undefined;
  const tag = randomBytes(6).toString('hex');
  const database = `sa_test_${tag}`;
  const reader = `sa_reader_${tag}`;
  const readerPassword = randomBytes(12).toString('hex');
  let admin: string;
  let exam: string;

  /** Waits until the replica has applied everything the primary has logged so far. */
  async function caughtUp() {
    const [[{ position }]] = await primary.query<Row[]>('SELECT @@gtid_binlog_pos AS position');
    const [[{ waited }]] = await replica.query<Row[]>('SELECT MASTER_GTID_WAIT(?, 30) AS waited', [
      position,
    ]);
    if (Number(waited) !== 0) throw new Error(`The replica did not reach ${position} in 30 s`);
  }

  const asnCount = async (connection: mysql.Connection) => {
    const [[{ n }]] = await connection.query<Row[]>(
      `SELECT COUNT(*) AS n FROM \`${database}\`.users WHERE role = 'asn'`,
    );
    return Number(n);
  };

  const report = async (name: string) =>
    (await t!.as(admin).get(`/api/v1/reports/${name}`).expect(200)).body.rows;

  const createAsn = async (key: string) => {
    const email = `asn.${key}.${tag}@uji.example`;
    await t!
      .as(admin)
      .post('/api/v1/users')
      .send({
        name: `ASN ${key}`,
        email,
        role: 'asn',
        password: TEST_PASSWORD,
        orgUnitCode: 'DINKES',
        positionCode: 'PERAWAT',
      })
      .expect(201);
    return email;
  };

  beforeAll(async () => {
    primary = await mysql.createConnection(primaryUrl!);
    replica = await mysql.createConnection(replicaUrl!);
    // Made on the primary, so the database and the reader reach the replica by replication.
    await primary.query(
      `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    await primary.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [reader, readerPassword]);
    await primary.query(`GRANT SELECT ON \`${database}\`.* TO ?@'127.0.0.1'`, [reader]);
    await caughtUp();

    const readerUrl = new URL(replicaUrl!);
    readerUrl.username = reader;
    readerUrl.password = readerPassword;
    readerUrl.pathname = `/${database}`;
    t = await bootTestApp({
      database: { url: `${primaryUrl!.replace(/\/$/, '')}/${database}`, drop: async () => {} },
      env: { DATABASE_REPLICA_URLS: readerUrl.toString() },
    });

    admin = await t.tokenFor(await t.createUser('admin'));
    const health = await t.tokenFor(await t.createUser('coordinator', { sectors: ['health'] }));
    await t
      .as(admin)
      .post('/api/v1/org-units')
      .send({ code: 'DINKES', name: 'Dinas Kesehatan' })
      .expect(201);
    await t
      .as(admin)
      .post('/api/v1/positions')
      .send({ code: 'PERAWAT', name: 'Perawat', kind: 'fungsional', sector: 'health' })
      .expect(201);
    await createAsn('a');
    await createAsn('b');
    const bank = await t
      .as(health)
      .post('/api/v1/question-banks')
      .send({ name: 'Bank kesehatan', sector: 'health' })
      .expect(201);
    await t
      .as(health)
      .post(`/api/v1/question-banks/${bank.body.id}/import?format=gift`)
      .set('content-type', 'text/plain')
      .send(GIFT)
      .expect(200);
    const created = await t
      .as(health)
      .post('/api/v1/assessments')
      .send({
        title: 'Ujian kesehatan',
        sector: 'health',
        timeLimitMinutes: 60,
        passPercent: 70,
        maxAttempts: 1,
        shuffle: false,
        sections: [{ bankId: bank.body.id, count: 2 }],
        reviewPolicy: 'score',
      })
      .expect(201);
    exam = created.body.id;
    await t.as(health).post(`/api/v1/assessments/${exam}/publish`).expect(200);
    await caughtUp();
  });

  afterAll(async () => {
    // Whatever happened, the replica must follow the primary again.
    await replica?.query('START SLAVE SQL_THREAD').catch(() => undefined);
    await t?.close();
    await primary?.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await primary?.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [reader]);
    await primary?.end();
    await replica?.end();
  });

  it('reads through ReplicaReads from the replica and everything else from the primary', async () => {
    // server-id is 1 on the primary and 2 on the replica (scripts/replica.sh).
    const serverId = 'SELECT @@server_id AS id';
    const idOf = (rows: { id: unknown }[]) => Number(rows[0].id);
    const replicaReads = t!.app.get(ReplicaReads);
    expect(idOf(await replicaReads.run((db) => db.query(serverId)))).toBe(2);
    expect(idOf(await t!.dataSource.query(serverId))).toBe(1);
    // Repositories and query builders read from the primary too (defaultMode 'master').
    const built = await t!.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .select('@@server_id', 'id')
      .limit(1)
      .getRawOne<{ id: unknown }>();
    expect(idOf([built!])).toBe(1);
    // The replica connection can only read (read_only, and a user with SELECT only).
    await expect(
      replicaReads.run((db) => db.query('CREATE TABLE replica_write_probe (id INT)')),
    ).rejects.toThrow(/read-only|denied/i);
  });

  it('shows a report from the replica (old numbers under lag) and exams and logins from the primary', async () => {
    const headcount = [
      { sector: 'health', orgUnitCode: 'DINKES', orgUnitName: 'Dinas Kesehatan', asn: 2 },
    ];
    expect(await report('workforce')).toEqual(headcount);
    expect(await report('live-exams')).toMatchObject([{ id: exam, sitting: 0 }]);

    await replica.query('STOP SLAVE SQL_THREAD');
    const email = await createAsn('c');
    // The lag is real: the new ASN is on the primary only.
    expect(await asnCount(primary)).toBe(3);
    expect(await asnCount(replica)).toBe(2);

    // The login finds the new account: it read the primary.
    const login = await t!.http
      .post('/api/v1/auth/login')
      .send({ username: email, password: TEST_PASSWORD })
      .expect(200);
    const asn = login.body.accessToken as string;
    // The exam runs on the primary: the attempt just started is there, with its answer.
    const started = await t!.as(asn).post(`/api/v1/assessments/${exam}/attempts`).expect(201);
    const item = started.body.items[0] as { slot: number; options: { id: string }[] };
    await t!
      .as(asn)
      .put(`/api/v1/attempts/${started.body.id}/answers/${item.slot}`)
      .send({ response: item.options[0].id })
      .expect(200);
    const attempt = await t!.as(asn).get(`/api/v1/attempts/${started.body.id}`).expect(200);
    expect(attempt.body).toMatchObject({ status: 'in_progress', assessmentId: exam });
    expect(attempt.body.items).toHaveLength(2);
    expect(attempt.body.items[0].response).toBe(item.options[0].id);

    // The reports come from the replica, which has not applied any of it yet.
    expect(await report('workforce')).toEqual(headcount);
    expect(await report('live-exams')).toMatchObject([{ id: exam, sitting: 0 }]);

    await replica.query('START SLAVE SQL_THREAD');
    await caughtUp();
    expect(await report('workforce')).toEqual([{ ...headcount[0], asn: 3 }]);
    expect(await report('live-exams')).toMatchObject([{ id: exam, sitting: 1 }]);
  });
});
