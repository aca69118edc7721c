import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { errorFamily } from '../http/domain-error.js';
import { fileStoreFor, type FileStore } from './file-stores.js';

const fileError = errorFamily({ 'file.type': 'invalid', 'file.missing': 'not_found' });

/** Document types accepted as uploads, recognised by their first bytes, not their name. */
const SIGNATURES: { type: string; exts: string[]; magic: number[] }[] = [
  { type: 'application/pdf', exts: ['pdf'], magic: [0x25, 0x50, 0x44, 0x46] },
  { type: 'image/png', exts: ['png'], magic: [0x89, 0x50, 0x4e, 0x47] },
  { type: 'image/jpeg', exts: ['jpg', 'jpeg'], magic: [0xff, 0xd8, 0xff] },
  // Office documents are ZIP containers; the extension says which one.
  {
    type: 'application/zip',
    exts: ['docx', 'pptx', 'xlsx', 'odt', 'odp', 'ods'],
    magic: [0x50, 0x4b, 0x03, 0x04],
  },
];

const OFFICE_TYPES: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  odp: 'application/vnd.oasis.opendocument.presentation',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
};

export interface StoredFile {
  key: string;
  contentType: string;
}

/**
 * Uploaded files: checked by their content, named by the app, kept in the configured store
 * (`DATA_DIR/files` by default, or an S3-compatible bucket with `STORAGE_DRIVER=s3`).
 */
@Injectable()
export class FileStorage {
  private readonly store: FileStore;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.store = fileStoreFor(config);
  }

  /**
   * Stores an upload after checking what it is by its content. With `filename`, the
   * extension must agree with the content (a renamed .exe is refused).
   */
  async save(content: Buffer, folder: string, filename?: string): Promise<StoredFile> {
    const kind = SIGNATURES.find((s) => s.magic.every((byte, i) => content[i] === byte));
    const ext = filename?.split('.').pop()?.toLowerCase();
    if (!kind) throw fileError('file.type', { field: 'file' });
    if (kind.type === 'application/zip' && (!ext || !kind.exts.includes(ext))) {
      throw fileError('file.type', { variant: 'archive', field: 'file' });
    }
    if (ext && !kind.exts.includes(ext))
      throw fileError('file.type', { variant: 'extension', field: 'file', params: { ext } });
    const chosen = ext && kind.exts.includes(ext) ? ext : kind.exts[0];
    const key = `${folder.replace(/[^a-z0-9-]/gi, '')}/${randomUUID()}.${chosen}`;
    const contentType = contentTypeOf(chosen);
    await this.store.put(key, content, contentType);
    return { key, contentType };
  }

  /**
   * Stores bytes under a key the caller made from their content (a hash), after its own
   * check of what they are: question files (ADR 0034). Writing the same key again is harmless.
   */
  async putChecked(key: string, content: Buffer, contentType: string): Promise<void> {
    await this.store.put(key, content, contentType);
  }

  async read(key: string): Promise<{ content: Buffer; contentType: string }> {
    const content = await this.store.get(key);
    if (!content) throw fileError('file.missing');
    return { content, contentType: contentTypeOf(key.split('.').pop() ?? '') };
  }
}

function contentTypeOf(ext: string): string {
  return (
    OFFICE_TYPES[ext] ??
    SIGNATURES.find((s) => s.exts.includes(ext) && s.type !== 'application/zip')?.type ??
    'application/octet-stream'
  );
}
