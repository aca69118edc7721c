import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// s3rver: a small S3-compatible server (as MinIO would be in production), in this process.
import S3rver from 's3rver';
import { bootTestApp, engine, type TestApp, asBytes } from '../helpers/test-app.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const BUCKET = 'berkas-uji';

describe(`uploaded files in an S3-compatible bucket (${engine})`, () => {
  let t: TestApp;
  let server: S3rver;
  let endpoint: string;
  const dir = mkdtempSync(join(tmpdir(), 'sa-s3-'));
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

  beforeAll(async () => {
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: join(dir, 's3'),
      configureBuckets: [{ name: BUCKET }],
    });
    endpoint = `http://127.0.0.1:${(await server.run()).port}`;
    t = await bootTestApp({
      env: {
        DATA_DIR: join(dir, 'data'),
        STORAGE_DRIVER: 's3',
        S3_ENDPOINT: endpoint,
        S3_BUCKET: BUCKET,
        S3_ACCESS_KEY_ID: credentials.accessKeyId,
        S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a lesson file in the bucket and serves it back to a learner', async () => {
    const coordinator = await t.tokenFor(
      await t.createUser('coordinator', { sectors: ['health'] }),
    );
    const course = await t
      .as(coordinator)
      .post('/api/v1/courses')
      .send({ code: 'S3-01', title: 'Berkas di S3', sector: 'health', jp: 1, summary: 'Uji' })
      .expect(201);
    const lesson = await t
      .as(coordinator)
      .post(`/api/v1/courses/${course.body.id}/lessons`)
      .send({ title: 'Formulir', kind: 'file' })
      .expect(201);
    await t
      .as(coordinator)
      .post(`/api/v1/courses/${course.body.id}/lessons/${lesson.body.id}/file`)
      .attach('file', PDF, 'formulir.pdf')
      .expect(200);

    const listed = await new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials,
    }).send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual([
      expect.stringMatching(/^lessons\/.+\.pdf$/),
    ]);
    expect(existsSync(join(dir, 'data', 'files'))).toBe(false);

    const file = await t
      .as(coordinator)
      .get(`/api/v1/lessons/${lesson.body.id}/file`)
      .buffer(true)
      .parse(asBytes)
      .expect(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(Buffer.compare(file.body as Buffer, PDF)).toBe(0);
  });
});
