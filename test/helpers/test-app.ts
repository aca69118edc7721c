import { Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getRepositoryToken } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent.js';
import { DataSource, Repository } from 'typeorm';
import { sectors as defaultSectors } from '../../modules/index.js';
import { createApp } from '../../src/app.factory.js';
import { AppConfig, loadConfig } from '../../src/config/app-config.js';
import { PasswordService } from '../../src/platform/auth/password.service.js';
import { Role, User } from '../../src/identity/user.entity.js';
import { ApiClient, clientAs } from './client.js';

export { clientAs } from './client.js';
export type { ApiClient, Method } from './client.js';

/** `TEST_DATABASE=mysql` runs the e2e suite on MariaDB/MySQL, else on SQLite. */
export const engine = process.env.TEST_DATABASE === 'mysql' ? 'mysql' : 'sqlite';
const mysqlBase = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export const TEST_PASSWORD = 'Uji-Coba-Sandi-2026';

/** The Redis server the tests of several instances share (`TEST_REDIS_URL`). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** Environment for instances that share that Redis under a key prefix of their own. */
export const redisEnv = () => ({
  REDIS_URL: TEST_REDIS_URL,
  REDIS_PREFIX: `sa-test-${randomBytes(4).toString('hex')}`,
});

/** A fresh, empty database for one test file; `drop` removes it. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'sa-test-'));
    return {
      url: `sqlite:${join(dir, 'test.sqlite')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `sa_test_${randomBytes(6).toString('hex')}`;
  const admin = await mysql.createConnection(mysqlBase);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  return {
    url: `${mysqlBase}/${name}`,
    drop: async () => {
      const conn = await mysql.createConnection(mysqlBase);
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

export function testConfig(databaseUrl: string, env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    DEMO_DATA: 'false',
    // Content packs are installed only where a test asks for them (content, browser tests).
    CONTENT_SYNC: 'false',
    LOGIN_RATE_LIMIT_IP: '100000',
    LOGIN_RATE_LIMIT_ACCOUNT: '100000',
    LOGIN_FAILURES_ACCOUNT_IP: '100000',
    LOGIN_FAILURES_IP: '100000',
    LOGIN_FAILURES_ACCOUNT: '100000',
    ANSWER_RATE_LIMIT: '100000',
    VERIFY_RATE_LIMIT: '100000',
    // Several suites share two cores and one MariaDB in CI: a handshake can take over 3 s
    // there (once more than 15 s). The outage suite, which times the 3 s, boots its own
    // processes with the default.
    DATABASE_CONNECT_TIMEOUT_MS: '30000',
    ...env,
  });
}

export interface TestApp {
  app: NestFastifyApplication;
  /** Anonymous requests; pages and cookie sessions use {@link signInAgent} instead. */
  http: TestAgent;
  dataSource: DataSource;
  config: AppConfig;
  /** Creates a user straight in the database (password {@link TEST_PASSWORD}). */
  createUser(role: Role, extra?: Partial<User>): Promise<User>;
  /** Logs in (a user, or a username and its password) and returns an access token. */
  tokenFor(user: User | string, password?: string): Promise<string>;
  /** Requests as the holder of `token` (see {@link clientAs}). */
  as(token: string): ApiClient;
  /** A new user of `role`, signed in: the user, its token and a client speaking as it. */
  signIn(role: Role, extra?: Partial<User>): Promise<SignedIn>;
  close(): Promise<void>;
}

export interface SignedIn {
  user: User;
  token: string;
  api: ApiClient;
}

export async function bootTestApp(
  options: {
    sectors?: readonly Type[];
    env?: Record<string, string>;
    database?: TestDatabase;
  } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = testConfig(database.url, options.env);
  const app = await createApp(config, options.sectors ?? defaultSectors);
  await app.getHttpAdapter().getInstance().ready();
  const users: Repository<User> = app.get(getRepositoryToken(User));
  const passwordHash = await app.get(PasswordService).hash(TEST_PASSWORD);
  let counter = 0;
  const http = request(app.getHttpServer());

  const testApp: TestApp = {
    app,
    config,
    http,
    dataSource: app.get(DataSource),
    async createUser(role, extra = {}) {
      counter += 1;
      const now = new Date();
      const tag = `${Date.now().toString(36)}${counter}${randomBytes(2).toString('hex')}`;
      const user = users.create({
        nip: null,
        orgUnitId: null,
        email: `${role}.${tag}@uji.example`,
        name: `Pengguna Uji ${counter}`,
        role,
        sectors: [],
        passwordHash,
        active: true,
        mustChangePassword: false,
        failedLogins: 0,
        lockedUntil: null,
        createdAt: now,
        updatedAt: now,
        ...extra,
      });
      return users.save(user);
    },
    async tokenFor(user, password = TEST_PASSWORD) {
      const username = typeof user === 'string' ? user : (user.nip ?? user.email);
      const res = await request(app.getHttpServer())
        .post('/api/v1/auth/login')
        .send({ username, password })
        .expect(200);
      return res.body.accessToken as string;
    },
    as: (token) => clientAs(http, token),
    async signIn(role, extra) {
      const user = await testApp.createUser(role, extra);
      const token = await testApp.tokenFor(user);
      return { user, token, api: clientAs(http, token) };
    },
    async close() {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
  return testApp;
}

/**
 * A supertest parser that keeps the body as bytes whatever its content type (PDF, XLSX, a
 * stored file): `.buffer(true).parse(asBytes)`.
 */
export const asBytes: Extract<
  Parameters<request.Test['parse']>[0],
  (res: never, done: never) => void
> = (res, done) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/** The CSRF token a page's forms carry. */
export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** A browser-like client signed in through the login form (keeps cookies). */
export async function signInAgent(t: TestApp, username: string, password = TEST_PASSWORD) {
  const agent = request.agent(t.app.getHttpServer());
  const form = await agent.get('/masuk').expect(200);
  const res = await agent
    .post('/masuk')
    .type('form')
    .send({ _csrf: csrfOf(form.text), username, password });
  return { agent, res };
}
