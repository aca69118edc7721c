import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { errorFamily } from '../http/domain-error.js';

const fileError = errorFamily({ 'file.type': 'invalid', 'file.missing': 'not_found' });

/** Document types accepted as attachments, recognised by their first bytes, not their name. */
const SIGNATURES: { type: string; ext: string; magic: number[] }[] = [
  { type: 'application/pdf', ext: 'pdf', magic: [0x25, 0x50, 0x44, 0x46] },
  { type: 'image/png', ext: 'png', magic: [0x89, 0x50, 0x4e, 0x47] },
  { type: 'image/jpeg', ext: 'jpg', magic: [0xff, 0xd8, 0xff] },
];

export interface StoredFile {
  key: string;
  contentType: string;
}

/**
 * Where uploaded files live: `data/files/` by default. The interface is small on purpose so
 * an S3-compatible store can implement it for several app instances.
 */
@Injectable()
export class FileStorage {
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = join(config.dataDir, 'files');
  }

  async save(content: Buffer, folder: string): Promise<StoredFile> {
    const kind = SIGNATURES.find((s) => s.magic.every((byte, i) => content[i] === byte));
    if (!kind) throw fileError('file.type', 'Lampiran harus PDF, PNG, atau JPEG', 'file');
    const key = `${folder.replace(/[^a-z0-9-]/gi, '')}/${randomUUID()}.${kind.ext}`;
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content, { mode: 0o600 });
    return { key, contentType: kind.type };
  }

  async read(key: string): Promise<{ content: Buffer; contentType: string }> {
    try {
      const content = await readFile(this.pathOf(key));
      const ext = key.split('.').pop();
      return {
        content,
        contentType: SIGNATURES.find((s) => s.ext === ext)?.type ?? 'application/octet-stream',
      };
    } catch {
      throw fileError('file.missing', 'Berkas tidak ditemukan');
    }
  }

  private pathOf(key: string): string {
    const path = normalize(join(this.root, key));
    if (!path.startsWith(this.root + '/'))
      throw fileError('file.missing', 'Berkas tidak ditemukan');
    return path;
  }
}
