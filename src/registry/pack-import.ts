import { createHash } from 'node:crypto';

/** The kinds of record a sector's content pack installs, in the order they depend on each other. */
export const CONTENT_KINDS = [
  'competency',
  'position',
  'course',
  'bank',
  'question',
  'assessment',
  'scheme',
] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

/** What an importer knows of the sync it takes part in. */
export interface PackImportContext {
  /** The sector whose pack is installed: new records belong to it. */
  sector: string;
  now: Date;
  /** The record id an earlier item of the same pack became (`ref('bank', 'PPI')`). */
  ref(kind: ContentKind, code: string): string;
}

/**
 * One kind of a content pack, installed by the domain that owns its tables: content sync
 * decides what to create, update, keep or archive, and hands each item to its importer.
 * Importers write through `TransactionService` and so join the sync's transaction.
 */
export interface PackImporter<Item> {
  readonly kind: ContentKind;
  /** Creates the item's record, or (with `entityId`) brings it to the pack's version; returns its id. */
  write(item: Item, context: PackImportContext, entityId: string | null): Promise<string>;
  /**
   * The record as it stands, hashed over what a pack sets: when it differs from the hash
   * left by the last sync, someone changed it locally and the pack leaves it alone.
   */
  recordHash(id: string, context: PackImportContext): Promise<string>;
  /** The item left the pack: retire its record where its status allows it (never delete). */
  archive(id: string, now: Date): Promise<void>;
}

/** A stable hash of any JSON value (keys sorted), to notice change. */
export function checksum(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v as object)
              .sort()
              .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex');
}
