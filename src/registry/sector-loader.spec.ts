import { Module } from '@nestjs/common';
import { Entity, PrimaryColumn } from 'typeorm';
import { loadSectors, SectorManifestError, tablePrefix } from './sector-loader.js';
import { SectorModule, SectorManifest } from './sector-manifest.js';

const aSector = (overrides: Partial<SectorManifest> = {}) => {
  @SectorModule({
    key: 'health',
    name: { id: 'Kesehatan', en: 'Health' },
    version: '1.0.0',
    requires: '^1.0.0',
    ...overrides,
  })
  class Sector {}
  return Sector;
};
const load = (list: unknown[], only: string[] | null = null, coreEntities: never[] = []) =>
  loadSectors(list as never, { coreVersion: '1.2.0', only, coreEntities });

@Entity('users')
class CoreUser {
  @PrimaryColumn() id: string;
}

describe('loadSectors', () => {
  it('accepts good manifests in list order', () => {
    const loaded = load([aSector(), aSector({ key: 'education' })]);
    expect(loaded.map((s) => s.manifest.key)).toEqual(['health', 'education']);
  });

  it('keeps only the sectors SECTORS names', () => {
    expect(
      load([aSector(), aSector({ key: 'education' })], ['education']).map((s) => s.manifest.key),
    ).toEqual(['education']);
  });

  it.each([
    [{ key: 'Health!' }, /key "Health!" must be lowercase/],
    [{ version: 'one' }, /version "one", which is not semantic/],
    [{ requires: 'soon' }, /requires "soon", which is not a version range/],
    [{ requires: '^2.0.0' }, /requires core \^2\.0\.0, but this core is 1\.2\.0/],
    [{ name: { id: '', en: 'Health' } }, /needs a name in Indonesian/],
  ])('refuses %j', (overrides, message) => {
    expect(() => load([aSector(overrides as Partial<SectorManifest>)])).toThrow(
      SectorManifestError,
    );
    expect(() => load([aSector(overrides as Partial<SectorManifest>)])).toThrow(message);
  });

  it('refuses duplicate keys, undecorated classes and unknown SECTORS', () => {
    expect(() => load([aSector(), aSector()])).toThrow(/key "health" is used by both/);
    @Module({})
    class Plain {}
    expect(() => load([Plain])).toThrow(/is not decorated with @SectorModule/);
    expect(() => load([aSector()], ['forestry'])).toThrow(/SECTORS names forestry/);
  });

  it('requires sector tables to carry the sector prefix and not clash with the core', () => {
    @Entity('inspections')
    class Unprefixed {
      @PrimaryColumn() id: string;
    }
    expect(() => load([aSector({ entities: [Unprefixed] })])).toThrow(
      /table "inspections", which must start with "health_"/,
    );

    @Entity('health_visits')
    class CoreUser2 {
      @PrimaryColumn() id: string;
    }
    Object.defineProperty(CoreUser2, 'name', { value: 'CoreUser' });
    expect(() => load([aSector({ entities: [CoreUser2] })], null, [CoreUser as never])).toThrow(
      /both define "entity CoreUser"/,
    );
  });

  it('derives the table prefix from the key', () => {
    expect(tablePrefix('administration-it')).toBe('administration_it_');
  });
});
