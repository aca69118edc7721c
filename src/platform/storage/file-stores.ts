import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import type { AppConfig, StorageConfig } from '../../config/app-config.js';

/** Where the bytes go. Keys are `folder/uuid.ext`, made by FileStorage, never by a user. */
export interface FileStore {
  put(key: string, content: Buffer, contentType: string): Promise<void>;
  /** The bytes, or null when there is no such file. */
  get(key: string): Promise<Buffer | null>;
}

/** The default: files under `DATA_DIR/files`, readable by the app's user only. */
export class LocalFileStore implements FileStore {
  constructor(private readonly root: string) {}

  async put(key: string, content: Buffer): Promise<void> {
    const path = this.pathOf(key)!;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content, { mode: 0o600 });
  }

  async get(key: string): Promise<Buffer | null> {
    const path = this.pathOf(key);
    if (!path) return null;
    try {
      return await readFile(path);
    } catch {
      return null;
    }
  }

  private pathOf(key: string): string | null {
    const path = normalize(join(this.root, key));
    return path.startsWith(this.root + '/') ? path : null;
  }
}

/**
 * An S3-compatible bucket (MinIO, or any S3 service): what several app instances share.
 * Objects are private; the app streams them to the users it authorises.
 */
export class S3FileStore implements FileStore {
  private readonly client: S3Client;

  constructor(private readonly config: Extract<StorageConfig, { driver: 's3' }>) {
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint ?? undefined,
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    });
  }

  async put(key: string, content: Buffer, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.config.bucket,
        Key: key,
        Body: content,
        ContentType: contentType,
      }),
    );
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.config.bucket, Key: key }),
      );
      return Buffer.from(await object.Body!.transformToByteArray());
    } catch (error) {
      if (error instanceof NoSuchKey) return null;
      throw error;
    }
  }
}

export function fileStoreFor(config: AppConfig): FileStore {
  return config.storage.driver === 's3'
    ? new S3FileStore(config.storage)
    : new LocalFileStore(join(config.dataDir, 'files'));
}
