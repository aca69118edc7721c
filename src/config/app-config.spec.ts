import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, describeConfig, loadConfig } from './app-config.js';

const cwd = mkdtempSync(join(tmpdir(), 'sa-config-'));
const load = (env: Record<string, string | undefined>) => loadConfig(env, cwd);

describe('loadConfig', () => {
  it('defaults to SQLite under data/, port 3000, demo data in development, and keeps a generated JWT secret', () => {
    const config = load({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ type: 'sqlite', path: join(cwd, 'data/sertifikasi.sqlite') });
    expect(config.demoData).toBe(true);
    expect(config.sectors).toBeNull();
    expect(config.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(cwd, 'data/jwt-secret'), 'utf8').trim()).toBe(config.jwtSecret);
    expect(load({}).jwtSecret).toBe(config.jwtSecret);
  });

  it('parses a MySQL URL', () => {
    const config = load({ DATABASE_URL: 'mysql://app:pw@db.local:3307/sertifikasi' });
    expect(config.database).toEqual(
      expect.objectContaining({
        type: 'mysql',
        host: 'db.local',
        port: 3307,
        database: 'sertifikasi',
      }),
    );
    expect(config.databaseConnectTimeoutMs).toBe(3_000);
    expect(load({ DATABASE_CONNECT_TIMEOUT_MS: '10000' }).databaseConnectTimeoutMs).toBe(10_000);
    expect(config.trustProxy).toBe(true);
    expect(load({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(load({ TRUST_PROXY: 'loopback, 10.0.0.0/8,192.168.1.1' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      '192.168.1.1',
    ]);
  });

  it.each([
    [{ DATABASE_URL: 'postgres://x/y' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mysql://localhost' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'sqlite:' }, 'DATABASE_URL'],
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_CONNECT_TIMEOUT_MS: '100' }, 'DATABASE_CONNECT_TIMEOUT_MS'],
    [{ TRUST_PROXY: 'semua' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY'],
    [{ DEMO_DATA: 'maybe' }, 'DEMO_DATA'],
    [{ SECTORS: 'health,Bad Key' }, 'SECTORS'],
    [{ ADMIN_EMAIL: 'admin@example.id' }, 'ADMIN_PASSWORD'],
    [{ ADMIN_EMAIL: 'nope', ADMIN_PASSWORD: 'long-enough-password' }, 'ADMIN_EMAIL'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ NODE_ENV: 'production', DEMO_DATA: 'false' }, 'JWT_SECRET'],
    [{ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), DEMO_DATA: 'true' }, 'DEMO_DATA'],
  ])('refuses %j, naming %s', (env, variable) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });

  describe('production', () => {
    const safe = {
      NODE_ENV: 'production',
      DATABASE_URL: 'mysql://app:pw@db:3306/sertifikasi',
      JWT_SECRET: 'p'.repeat(40),
      SIGNING_KEY: '{"kty":"OKP","crv":"Ed25519","x":"x","d":"d"}',
      DEMO_DATA: 'false',
    };

    it('starts with its own secrets on MySQL/MariaDB', () => {
      expect(load(safe).env).toBe('production');
    });

    it.each([
      [{ JWT_SECRET: undefined }, 'JWT_SECRET', 'is required in production'],
      [{ JWT_SECRET: 'short' }, 'JWT_SECRET', 'must be at least 32 characters'],
      [
        { JWT_SECRET: 'ganti-dengan-rahasia-acak-minimal-32-karakter' },
        'JWT_SECRET',
        'example value',
      ],
      [{ SIGNING_KEY: undefined }, 'SIGNING_KEY', 'is required in production'],
      [{ DEMO_DATA: 'true' }, 'DEMO_DATA', 'must not be true in production'],
      [{ DATABASE_URL: undefined }, 'DATABASE_URL', 'is SQLite'],
      [{ DATABASE_URL: 'sqlite:/srv/app.sqlite' }, 'DATABASE_URL', 'ALLOW_SQLITE_IN_PRODUCTION'],
      [
        { ADMIN_EMAIL: 'admin@bkpsdm.go.id', ADMIN_PASSWORD: 'Admin-Sertifikasi-2026' },
        'ADMIN_PASSWORD',
        'example value',
      ],
      [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN', 'at least 16'],
    ])('refuses %j, naming %s', (change, variable, reason) => {
      const env = { ...safe, ...change } as Record<string, string | undefined>;
      expect(() => load(env)).toThrow(
        new RegExp(`^Invalid configuration: ${variable} .*${reason}`),
      );
    });

    it('allows SQLite on one small server when asked to', () => {
      const config = load({
        ...safe,
        DATABASE_URL: 'sqlite:/srv/app.sqlite',
        ALLOW_SQLITE_IN_PRODUCTION: 'true',
      });
      expect(config.database.type).toBe('sqlite');
    });
  });

  it('reads replicas, Redis and S3 storage', () => {
    const config = load({
      DATABASE_URL: 'mysql://app:pw@db:3306/x',
      DATABASE_REPLICA_URLS: 'mysql://app:pw@r1:3306/x, mysql://app:pw@r2:3306/x',
      REDIS_URL: 'redis://127.0.0.1:6379/0',
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: 'http://minio:9000',
      S3_BUCKET: 'berkas',
      S3_ACCESS_KEY_ID: 'minio',
      S3_SECRET_ACCESS_KEY: 'minio-secret',
    });
    expect(config.replicaUrls).toHaveLength(2);
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379/0');
    expect(config.storage).toMatchObject({ driver: 's3', bucket: 'berkas', forcePathStyle: true });
    expect(() => load({ DATABASE_REPLICA_URLS: 'mysql://a@b:3306/x' })).toThrow(
      /DATABASE_REPLICA_URLS needs a MySQL\/MariaDB primary/,
    );
    expect(() => load({ STORAGE_DRIVER: 's3' })).toThrow(/S3_BUCKET is required/);
    expect(() => load({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL must be/);
  });

  it('runs one HTTP process unless WORKERS asks for more, which needs MariaDB and Redis', () => {
    const mysql = 'mysql://app:pw@db.local:3306/sertifikasi';
    const redis = 'redis://127.0.0.1:6379/0';
    expect(load({}).workers).toBe(1);
    expect(load({ WORKERS: '2', DATABASE_URL: mysql, REDIS_URL: redis }).workers).toBe(2);
    expect(load({ WORKERS: 'auto', DATABASE_URL: mysql, REDIS_URL: redis }).workers).toBe(
      availableParallelism(),
    );
    expect(() => load({ WORKERS: '2', REDIS_URL: redis })).toThrow(/WORKERS.*MySQL\/MariaDB/);
    expect(() => load({ WORKERS: '2', DATABASE_URL: mysql })).toThrow(/WORKERS.*REDIS_URL/);
    expect(() => load({ WORKERS: '0' })).toThrow(/WORKERS must be a whole number/);
  });

  it('never puts secrets in the printable summary', () => {
    const config = load({
      DATABASE_URL: 'mysql://app:topsecret@db:3306/x',
      JWT_SECRET: 'y'.repeat(40),
      ADMIN_EMAIL: 'a@b.id',
      ADMIN_PASSWORD: 'very-secret-pass',
    });
    const printed = JSON.stringify(describeConfig(config));
    expect(printed).not.toContain('topsecret');
    expect(printed).not.toContain('yyyy');
    expect(printed).not.toContain('very-secret-pass');
  });

  it('reads the password-reset settings, with a 30-minute link and no contact text by default', () => {
    const defaults = load({});
    expect(defaults.passwordResetTtlMinutes).toBe(30);
    expect(defaults.passwordResetRateLimitPerAccount).toBe(3);
    expect(defaults.passwordHelpContact).toBeNull();
    const set = load({
      PASSWORD_RESET_TTL_MINUTES: '15',
      PASSWORD_HELP_CONTACT: '  Ruang Bidang PKP, ext. 204  ',
    });
    expect(set.passwordResetTtlMinutes).toBe(15);
    expect(set.passwordHelpContact).toBe('Ruang Bidang PKP, ext. 204');
    expect(() => load({ PASSWORD_RESET_TTL_MINUTES: '1' })).toThrow(ConfigError);
  });

  it('reads DB_SYNC_WAIT: unset is null (chosen by the server), else a wsrep_sync_wait mask 0–15', () => {
    expect(load({}).databaseSyncWait).toBeNull();
    expect(load({ DB_SYNC_WAIT: ' ' }).databaseSyncWait).toBeNull();
    expect(load({ DB_SYNC_WAIT: '0' }).databaseSyncWait).toBe(0);
    expect(load({ DB_SYNC_WAIT: '1' }).databaseSyncWait).toBe(1);
    expect(load({ DB_SYNC_WAIT: '15' }).databaseSyncWait).toBe(15);
    for (const bad of ['16', '-1', 'on', '1.5'])
      expect(() => load({ DB_SYNC_WAIT: bad })).toThrow(ConfigError);
    expect(() => load({ DB_SYNC_WAIT: 'yes' })).toThrow(/DB_SYNC_WAIT/);
  });

  it('lists SECTORS without duplicates', () => {
    expect(load({ SECTORS: 'health, education,health' }).sectors).toEqual(['health', 'education']);
  });
});
