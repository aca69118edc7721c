import { Module } from '@nestjs/common';
import { sectors } from '../../modules/index.js';
import { QuestionTypeRegistry } from '../../src/registry/registries.js';
import { SectorManifestError } from '../../src/registry/sector-loader.js';
import { SectorModule, tDynamic } from '../../src/sector-api.js';
import {
  PublicWorksInspection,
  PublicWorksSector,
} from '../fixtures/public-works/public-works.sector.js';
import { bootTestApp, createTestDatabase, engine, TestDatabase } from '../helpers/test-app.js';

describe(`sector registry (${engine})`, () => {
  it('registers a fourth sector from test/fixtures with its table and question type, no edit to src/', async () => {
    const t = await bootTestApp({ sectors: [...sectors, PublicWorksSector] });
    try {
      const res = await t.http.get('/api/v1/sectors').expect(200);
      expect(res.body.map((s: { key: string }) => s.key)).toEqual([
        'health',
        'education',
        'administration-it',
        'public-works',
      ]);
      expect(res.body[3]).toEqual(
        expect.objectContaining({ name: 'Pekerjaan Umum', version: '0.1.0', enabled: true }),
      );
      const registry = t.app.get(QuestionTypeRegistry);
      expect(registry.ownerOf('public_works_sequence')).toBe('sector "public-works"');
      expect(registry.ownerOf('true_false')).toBe('the core');
      expect(
        registry
          .list()
          .map((q) => q.key)
          .sort(),
      ).toEqual(
        [
          'cloze',
          'essay',
          'matching',
          'multiple_response',
          'numeric',
          'ordering',
          'public_works_sequence',
          'short_answer',
          'single_choice',
          'true_false',
        ].sort(),
      );
      expect(registry.ownerOf('ordering')).toBe('sector "administration-it"');
      // Its own messages, under sector.public-works.
      expect(
        tDynamic('en', 'sector.public-works.inspections.due', { count: 2, site: 'Jalan Sudirman' }),
      ).toBe('2 inspections due at Jalan Sudirman');
      expect(
        tDynamic('id', 'sector.public-works.inspections.due', { count: 0, site: 'Jalan Sudirman' }),
      ).toBe('Tidak ada inspeksi jatuh tempo di Jalan Sudirman');
      await t.dataSource
        .getRepository(PublicWorksInspection)
        .insert({ id: 'a1', site: 'Jalan Sudirman' });
      expect(await t.dataSource.getRepository(PublicWorksInspection).count()).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('SECTORS restricts the loaded set', async () => {
    const t = await bootTestApp({ env: { SECTORS: 'health,education' } });
    try {
      const res = await t.http.get('/api/v1/sectors').expect(200);
      expect(res.body.map((s: { key: string }) => s.key)).toEqual(['health', 'education']);
    } finally {
      await t.close();
    }
  });

  describe('refuses to boot on a bad manifest', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(() => db.drop());

    const boot = (list: unknown[], env: Record<string, string> = {}) =>
      bootTestApp({ sectors: list as never, env, database: db });

    it('a duplicate key', async () => {
      @SectorModule({
        key: 'health',
        name: { id: 'Kesehatan 2', en: 'Health 2' },
        code: 'KESB',
        version: '1.0.0',
        requires: '^1.0.0',
      })
      class SecondHealth {}
      await expect(boot([...sectors, SecondHealth])).rejects.toThrow(
        /key "health" is used by both HealthSector and SecondHealth/,
      );
    });

    it('an unsupported core version', async () => {
      @SectorModule({
        key: 'future',
        name: { id: 'Masa depan', en: 'Future' },
        code: 'MD',
        version: '1.0.0',
        requires: '^2.0.0',
      })
      class Future {}
      await expect(boot([Future])).rejects.toThrow(SectorManifestError);
      await expect(boot([Future])).rejects.toThrow(
        /requires core \^2\.0\.0, but this core is 1\.0\.0/,
      );
    });

    it('a message in one language only', async () => {
      @SectorModule({
        key: 'forestry',
        name: { id: 'Kehutanan', en: 'Forestry' },
        code: 'HUT',
        version: '1.0.0',
        requires: '^1.0.0',
        messages: { id: { 'patrol.due': 'Patroli {area}' }, en: {} },
      })
      class Forestry {}
      await expect(boot([Forestry])).rejects.toThrow(
        /sector "forestry" has the message "patrol.due" in id but not in en/,
      );
    });

    it('a class without @SectorModule, and an unknown key in SECTORS', async () => {
      @Module({})
      class Plain {}
      await expect(boot([Plain])).rejects.toThrow(/Plain\) is not decorated with @SectorModule/);
      await expect(boot(sectors, { SECTORS: 'health,forestry' })).rejects.toThrow(
        /SECTORS names forestry/,
      );
    });
  });
});
