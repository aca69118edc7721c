import { DEFAULT_TIME_ZONE, isTimeZone } from '../platform/i18n/local-format.js';
import { randomBytes } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { availableParallelism } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

/** The one validated configuration object of the app, built from the environment at boot. */
export interface AppConfig {
  env: 'development' | 'test' | 'production';
  port: number;
  /**
   * Processes serving HTTP on this machine (node:cluster). Above 1 they share rate limits,
   * caches and session ends through Redis, and the database must be MySQL/MariaDB.
   */
  workers: number;
  database: DatabaseConfig;
  /** Run pending migrations at boot (off when a deployment migrates as a separate step). */
  migrationsRun: boolean;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  /** Login attempts per minute from one IP (high: a whole office shares one NAT address at exam time). */
  loginRateLimitPerIp: number;
  /** Login attempts per minute for one username from one IP. */
  loginRateLimitPerAccount: number;
  /**
   * Failed logins for one username from one IP within 15 minutes, before that pair waits out
   * the window (the owner elsewhere is not held back; ADR 0015).
   */
  loginFailuresPerAccountIp: number;
  /** Failed logins from one IP across all usernames within 15 minutes (password spraying). */
  loginFailuresPerIp: number;
  /**
   * Failed logins for one username from every IP within an hour (a distributed guess); not
   * applied from an address the account signed in from in the last 14 days.
   */
  loginFailuresPerAccount: number;
  /** Answer saves per minute for one candidate (generous: only a script reaches it). */
  answerRateLimitPerMinute: number;
  /** Public verifications (JSON, page, status lists) per minute from one IP. */
  verifyRateLimitPerMinute: number;
  admin: { email: string; password: string } | null;
  demoData: boolean;
  /** Install and upgrade the sectors' content packs at boot. */
  contentSync: boolean;
  /** Sector keys to load; null loads every sector in modules/index.ts. */
  sectors: string[] | null;
  logLevel: string;
  /** Folder for runtime files (SQLite database, generated secrets, uploads). */
  dataDir: string;
  /** The address the public reaches the app at: verification links and QR codes use it. */
  publicUrl: string;
  /** The issuing authority printed on certificates. */
  authority: { city: string; agency: string; signatoryName: string; signatoryTitle: string };
  /** Ed25519 private key (JWK JSON) that signs credentials; null: generated under dataDir. */
  signingKeyJwk: string | null;
  /** SMTP server for the mail outbox (`smtp://user:pass@host:587`); null: mail is kept, not sent. */
  smtpUrl: string | null;
  mailFrom: string;
  /** IANA zone of the city: times on pages, PDFs, mails and exports are shown in it (WIB). */
  timeZone: string;
  /** How long a password-reset link sent by e-mail stays good (ADR 0026). */
  passwordResetTtlMinutes: number;
  /** Password-reset requests from one IP within 15 minutes. */
  passwordResetRateLimitPerIp: number;
  /** Password-reset requests for one NIP/e-mail (as typed, existing or not) within an hour. */
  passwordResetRateLimitPerAccount: number;
  /**
   * Whom to ask about a forgotten password, shown on the forgot-password page (always, and
   * as the only way without SMTP); null: the catalogue's text naming the agency's admin.
   */
  passwordHelpContact: string | null;
  /**
   * How long a new MySQL/MariaDB connection may take to complete its handshake. Short, so a
   * hung server answers 503 quickly; tests on a loaded machine give it longer.
   */
  databaseConnectTimeoutMs: number;
  /**
   * `wsrep_sync_wait` for every connection to a MariaDB Galera node (`DB_SYNC_WAIT`): `1`
   * makes a read wait until the node has applied what the cluster committed before it, so a
   * read right after a write through another node sees it. null: the default, 1 on Galera;
   * `0` turns it off. Not used on a server that is not Galera.
   */
  databaseSyncWait: number | null;
  /**
   * How long an instance that starts while another does the start-up work (migrations,
   * content sync, seeding) waits for it before failing (the boot lease, docs/operations.md).
   */
  bootLeaseWaitSeconds: number;
  /**
   * Which hops' `X-Forwarded-For` the app believes (Fastify's `trustProxy`): `true` (every
   * hop: the leftmost address, right behind a proxy that writes the header itself, as Caddy
   * does), `false` (the socket's address), or addresses and CIDR ranges of the
   * proxies (the rightmost address not among them: right behind a proxy that appends).
   */
  trustProxy: boolean | string[];
  /** Read replicas (MySQL/MariaDB URLs) for reads that tolerate a little lag; empty: none. */
  replicaUrls: string[];
  /** Redis (`redis://host:6379/0`) shares rate-limit counters and the read cache across instances; null: per instance. */
  redisUrl: string | null;
  /** Prefix of every Redis key, so several deployments (or test runs) can share one Redis. */
  redisPrefix: string;
  /** `/metrics` needs `Authorization: Bearer <token>` when set; null: only from the loopback address. */
  metricsToken: string | null;
  /** Where uploaded files live: the local disk (default) or an S3-compatible bucket (MinIO). */
  storage: StorageConfig;
}

export type StorageConfig =
  | { driver: 'local' }
  | {
      driver: 's3';
      endpoint: string | null;
      region: string;
      bucket: string;
      accessKeyId: string;
      secretAccessKey: string;
      forcePathStyle: boolean;
    };

export type DatabaseConfig =
  | { type: 'sqlite'; path: string }
  | {
      type: 'mysql';
      url: string;
      host: string;
      port: number;
      database: string;
      /** Known after probing the server (see `probeDatabase`); MariaDB reports schema defaults differently. */
      flavour?: 'mysql' | 'mariadb';
      /** Known after probing the server: a MariaDB Galera node (`@@wsrep_on` = ON). */
      galera?: boolean;
    };

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Variables whose values must never be printed (see `describeConfig`). */
export const SENSITIVE_VARIABLES = [
  'JWT_SECRET',
  'ADMIN_PASSWORD',
  'DATABASE_URL',
  'SIGNING_KEY',
  'SMTP_URL',
  'DATABASE_REPLICA_URLS',
  'REDIS_URL',
  'METRICS_TOKEN',
  'S3_SECRET_ACCESS_KEY',
] as const;

/**
 * Values that appear in our docs and examples: a production deployment that copied one is
 * refused, as if the secret were missing.
 */
export const EXAMPLE_SECRETS = new Set([
  'ganti-dengan-rahasia-acak-minimal-32-karakter',
  'change-me-to-a-random-secret-of-32-characters',
  'Demo-Sertifikasi-2026',
  'Admin-Sertifikasi-2026',
]);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const SECTOR_KEY = /^[a-z][a-z0-9-]{1,39}$/;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'test', 'production'], 'development');
  const dataDir = resolve(cwd, env.DATA_DIR || 'data');
  const database = parseDatabaseUrl(env.DATABASE_URL || 'sqlite:data/sertifikasi.sqlite', cwd);
  const production = nodeEnv === 'production';

  const jwtSecret = env.JWT_SECRET
    ? checkSecret(env.JWT_SECRET)
    : production
      ? fail('JWT_SECRET', 'is required in production')
      : developmentSecret(dataDir);

  const adminEmail = env.ADMIN_EMAIL?.trim();
  const adminPassword = env.ADMIN_PASSWORD;
  if (!!adminEmail !== !!adminPassword) {
    fail(adminEmail ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL', 'must be set together with the other');
  }
  if (adminEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(adminEmail)) {
    fail('ADMIN_EMAIL', 'must be an e-mail address');
  }
  if (adminPassword !== undefined && adminPassword.length < 10) {
    fail('ADMIN_PASSWORD', 'must be at least 10 characters');
  }

  const demoData = bool(env, 'DEMO_DATA', nodeEnv === 'development');
  if (demoData && production) fail('DEMO_DATA', 'must not be true in production');
  if (production) {
    for (const name of ['JWT_SECRET', 'ADMIN_PASSWORD', 'METRICS_TOKEN', 'S3_SECRET_ACCESS_KEY'])
      if (env[name] && EXAMPLE_SECRETS.has(env[name]!.trim()))
        fail(name, 'is an example value from the documentation; set your own secret');
    if (database.type === 'sqlite' && !bool(env, 'ALLOW_SQLITE_IN_PRODUCTION', false))
      fail(
        'DATABASE_URL',
        'is SQLite, which serves one instance only; use MySQL/MariaDB in production, or set ALLOW_SQLITE_IN_PRODUCTION=true for a single small server',
      );
  }

  const redis = redisUrl(env.REDIS_URL);
  return {
    env: nodeEnv,
    port: int(env, 'PORT', 3000, 0, 65535),
    workers: workers(env, database, redis),
    database,
    migrationsRun: bool(env, 'MIGRATIONS_RUN', true),
    jwtSecret,
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL', 900, 60, 86400),
    loginRateLimitPerIp: int(env, 'LOGIN_RATE_LIMIT_IP', 300, 1, 1_000_000),
    loginRateLimitPerAccount: int(env, 'LOGIN_RATE_LIMIT_ACCOUNT', 10, 1, 1_000_000),
    loginFailuresPerAccountIp: int(env, 'LOGIN_FAILURES_ACCOUNT_IP', 10, 1, 1_000_000),
    loginFailuresPerIp: int(env, 'LOGIN_FAILURES_IP', 30, 1, 1_000_000),
    loginFailuresPerAccount: int(env, 'LOGIN_FAILURES_ACCOUNT', 100, 1, 1_000_000),
    answerRateLimitPerMinute: int(env, 'ANSWER_RATE_LIMIT', 120, 1, 1_000_000),
    verifyRateLimitPerMinute: int(env, 'VERIFY_RATE_LIMIT', 60, 1, 1_000_000),
    admin: adminEmail && adminPassword ? { email: adminEmail, password: adminPassword } : null,
    demoData,
    sectors: sectorList(env.SECTORS),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'silent' : 'info'),
    dataDir,
    contentSync: bool(env, 'CONTENT_SYNC', true),
    publicUrl: publicUrl(env.PUBLIC_URL, env.PORT),
    authority: {
      city: env.CERT_CITY?.trim() || 'Kota Padangsidempuan',
      agency:
        env.CERT_AGENCY?.trim() ||
        'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kota Padangsidempuan',
      signatoryName: env.CERT_SIGNATORY_NAME?.trim() || 'Kepala BKPSDM',
      signatoryTitle: env.CERT_SIGNATORY_TITLE?.trim() || 'Kepala Badan',
    },
    signingKeyJwk: env.SIGNING_KEY
      ? signingKey(env.SIGNING_KEY)
      : production
        ? fail('SIGNING_KEY', 'is required in production (an Ed25519 private key as JWK JSON)')
        : null,
    smtpUrl: env.SMTP_URL?.trim() || null,
    mailFrom: env.MAIL_FROM?.trim() || 'Sertifikasi ASN <noreply@sertifikasi.local>',
    timeZone: timeZone(env.TIME_ZONE),
    passwordResetTtlMinutes: int(env, 'PASSWORD_RESET_TTL_MINUTES', 30, 5, 24 * 60),
    passwordResetRateLimitPerIp: int(env, 'PASSWORD_RESET_RATE_LIMIT_IP', 20, 1, 1_000_000),
    passwordResetRateLimitPerAccount: int(
      env,
      'PASSWORD_RESET_RATE_LIMIT_ACCOUNT',
      3,
      1,
      1_000_000,
    ),
    passwordHelpContact: env.PASSWORD_HELP_CONTACT?.trim().slice(0, 500) || null,
    databaseConnectTimeoutMs: int(env, 'DATABASE_CONNECT_TIMEOUT_MS', 3_000, 500, 60_000),
    databaseSyncWait: syncWait(env),
    bootLeaseWaitSeconds: int(env, 'BOOT_LEASE_WAIT_SECONDS', 600, 1, 86_400),
    trustProxy: trustProxyOf(env.TRUST_PROXY),
    replicaUrls: replicaUrls(env.DATABASE_REPLICA_URLS, database),
    redisUrl: redis,
    redisPrefix: env.REDIS_PREFIX?.trim() || 'sertifikasi',
    metricsToken: metricsToken(env.METRICS_TOKEN),
    storage: storage(env),
  };
}

/**
 * `DB_SYNC_WAIT`: Galera's `wsrep_sync_wait` bit mask (0–15: 1 reads, 2 updates and deletes,
 * 4 inserts and replaces, 8 SHOW); unset or empty: null, the default chosen once the server is
 * known (see `sessionSyncWait`).
 */
function syncWait(env: Env): number | null {
  const raw = env.DB_SYNC_WAIT?.trim();
  return raw === undefined || raw === '' ? null : int(env, 'DB_SYNC_WAIT', 0, 0, 15);
}

function replicaUrls(raw: string | undefined, primary: DatabaseConfig): string[] {
  const urls = (raw ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  if (urls.length && primary.type !== 'mysql')
    fail('DATABASE_REPLICA_URLS', 'needs a MySQL/MariaDB primary in DATABASE_URL');
  for (const url of urls)
    if (parseDatabaseUrl(url).type !== 'mysql')
      fail('DATABASE_REPLICA_URLS', 'must list mysql:// addresses, separated by commas');
  return urls;
}

/**
 * `WORKERS`: a number, or `auto` for one per CPU. Several workers are several instances: in
 * their own memory they would each count a rate limit and miss each other's session ends,
 * and SQLite takes one writing process; so both are required, not hoped for.
 */
function workers(env: Env, database: DatabaseConfig, redis: string | null): number {
  const raw = env.WORKERS?.trim();
  const count = raw === 'auto' ? availableParallelism() : int(env, 'WORKERS', 1, 1, 64);
  if (count > 1 && database.type !== 'mysql')
    fail('WORKERS', 'above 1 needs a MySQL/MariaDB DATABASE_URL (SQLite takes one process)');
  if (count > 1 && !redis)
    fail(
      'WORKERS',
      'above 1 needs REDIS_URL: the workers share rate limits, caches and session ends through it',
    );
  return count;
}

function redisUrl(raw: string | undefined): string | null {
  const value = raw?.trim();
  if (!value) return null;
  if (!/^rediss?:\/\/[^\s]+$/.test(value))
    fail('REDIS_URL', 'must be redis://host:port[/db] or rediss://…');
  return value;
}

function metricsToken(raw: string | undefined): string | null {
  const value = raw?.trim();
  if (!value) return null;
  if (value.length < 16) fail('METRICS_TOKEN', 'must be at least 16 characters');
  return value;
}

function storage(env: Env): StorageConfig {
  const driver = oneOf(env, 'STORAGE_DRIVER', ['local', 's3'], 'local');
  if (driver === 'local') return { driver };
  const required = (name: string) =>
    env[name]?.trim() || fail(name, 'is required when STORAGE_DRIVER=s3');
  const endpoint = env.S3_ENDPOINT?.trim() || null;
  if (endpoint && !/^https?:\/\/[^\s]+$/.test(endpoint))
    fail('S3_ENDPOINT', 'must be an http(s) address such as http://minio:9000');
  return {
    driver,
    endpoint,
    region: env.S3_REGION?.trim() || 'us-east-1',
    bucket: required('S3_BUCKET'),
    accessKeyId: required('S3_ACCESS_KEY_ID'),
    secretAccessKey: required('S3_SECRET_ACCESS_KEY'),
    // MinIO and most self-hosted stores address buckets by path, not by host name.
    forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', endpoint !== null),
  };
}

function publicUrl(raw: string | undefined, port: string | undefined): string {
  const value = raw?.trim() || `http://localhost:${port || 3000}`;
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(value))
    fail('PUBLIC_URL', 'must be an http(s) address such as https://sertifikasi.example.go.id');
  return value.replace(/\/+$/, '');
}

function signingKey(raw: string): string {
  try {
    const jwk = JSON.parse(raw) as { kty?: string; crv?: string; d?: string };
    if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && jwk.d) return raw;
  } catch {
    /* reported below */
  }
  return fail(
    'SIGNING_KEY',
    'must be an Ed25519 private key as JWK JSON ({"kty":"OKP","crv":"Ed25519",...})',
  );
}

export function parseDatabaseUrl(raw: string, cwd = process.cwd()): DatabaseConfig {
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length);
    if (!path)
      fail('DATABASE_URL', 'must name a file after "sqlite:" (e.g. sqlite:data/app.sqlite)');
    return {
      type: 'sqlite',
      path: path === ':memory:' || isAbsolute(path) ? path : resolve(cwd, path),
    };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('DATABASE_URL', 'must be sqlite:<path> or mysql://user:pass@host:port/database');
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    fail('DATABASE_URL', `has unsupported scheme "${url.protocol}" (use sqlite: or mysql://)`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!url.hostname) fail('DATABASE_URL', 'must name a host');
  if (!/^[A-Za-z0-9_$-]{1,64}$/.test(database))
    fail('DATABASE_URL', 'must name a database (…/dbname)');
  const port = url.port ? Number(url.port) : 3306;
  return {
    type: 'mysql',
    url: raw.replace(/^mariadb:/, 'mysql:'),
    host: url.hostname,
    port,
    database,
    flavour: url.protocol === 'mariadb:' ? 'mariadb' : undefined,
  };
}

/** A printable summary with secrets left out, for the boot log. */
export function describeConfig(config: AppConfig): Record<string, unknown> {
  return {
    env: config.env,
    port: config.port,
    database:
      config.database.type === 'sqlite'
        ? { type: 'sqlite', path: config.database.path }
        : {
            type: 'mysql',
            host: config.database.host,
            port: config.database.port,
            database: config.database.database,
          },
    migrationsRun: config.migrationsRun,
    replicas: config.replicaUrls.length,
    redis: config.redisUrl !== null,
    workers: config.workers,
    storage: config.storage.driver,
    demoData: config.demoData,
    sectors: config.sectors ?? 'all',
    timeZone: config.timeZone,
  };
}

function developmentSecret(dataDir: string): string {
  // Kept under data/ so tokens survive a restart; never used in production.
  const file = resolve(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

function checkSecret(secret: string): string {
  if (secret.length < 32) fail('JWT_SECRET', 'must be at least 32 characters');
  return secret;
}

function sectorList(raw: string | undefined): string[] | null {
  if (raw === undefined || raw.trim() === '') return null;
  const keys = raw
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  const bad = keys.find((k) => !SECTOR_KEY.test(k));
  if (bad) fail('SECTORS', `contains "${bad}", which is not a sector key`);
  return [...new Set(keys)];
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  return fail(name, `must be true or false, got "${env[name]}"`);
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!allowed.includes(raw as T)) fail(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

/** TRUST_PROXY: `true` (the default), `false`, or a comma list of addresses/CIDRs. */
function trustProxyOf(value: string | undefined): boolean | string[] {
  const text = value?.trim().toLowerCase() ?? '';
  if (text === '' || text === 'true') return true;
  if (text === 'false') return false;
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const named = new Set(['loopback', 'linklocal', 'uniquelocal']);
  const bad = entries.filter((e) => !named.has(e) && !isIpOrRange(e));
  if (bad.length)
    fail('TRUST_PROXY', `must be true, false or addresses/CIDR ranges (${bad.join(', ')})`);
  return entries;
}

function isIpOrRange(entry: string): boolean {
  if (ipaddr.isValid(entry)) return true;
  try {
    ipaddr.parseCIDR(entry);
    return true;
  } catch {
    return false;
  }
}

function timeZone(raw: string | undefined): string {
  const zone = raw?.trim() || DEFAULT_TIME_ZONE;
  if (!isTimeZone(zone)) {
    fail(
      'TIME_ZONE',
      `must be an IANA time zone such as Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT); got ${zone}`,
    );
  }
  return zone;
}

function fail(variable: string, reason: string): never {
  throw new ConfigError(variable, reason);
}
