import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, describeConfig, loadConfig } from './app-config.js';

const cwd = mkdtempSync(join(tmpdir(), 'sa-config-'));
const load = (env: Record<string, string>) => loadConfig(env, cwd);

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
  });

  it.each([
    [{ DATABASE_URL: 'postgres://x/y' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mysql://localhost' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'sqlite:' }, 'DATABASE_URL'],
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
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

  it('lists SECTORS without duplicates', () => {
    expect(load({ SECTORS: 'health, education,health' }).sectors).toEqual(['health', 'education']);
  });
});
