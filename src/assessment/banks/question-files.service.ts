import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, In, Repository } from 'typeorm';
import { AccessService } from '../../platform/auth/access.service.js';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { FileStorage } from '../../platform/storage/file-storage.js';
import { QUESTION_FILE_PATH } from '../interchange/moodle-files.js';
import { QuestionBank } from './question-bank.entity.js';
import { QuestionFile } from './question-file.entity.js';
import { AttemptsService } from '../engine/attempts.service.js';
import { errorFamily } from '../../platform/http/domain-error.js';

// The bank's own codes, made here too: the bank service uses this one, not the reverse.
const bankError = errorFamily({ 'bank.not_found': 'not_found', 'bank.invalid': 'invalid' });

/** The largest file a question may carry: a photo or a short recording, not a video. */
export const MAX_QUESTION_FILE_BYTES = 2 * 1024 * 1024;

/**
 * What a question may show, recognised by content. Not SVG, HTML or anything that can carry
 * a script: the file route serves bytes as they are.
 */
const KINDS: { ext: string; type: string; is: (b: Buffer) => boolean }[] = [
  {
    ext: 'png',
    type: 'image/png',
    // Whole images only: a cut-off one (a broken base64 body) ends without its IEND chunk.
    is: (b) =>
      b.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47])) &&
      b.subarray(-12).includes('IEND', 0, 'latin1'),
  },
  { ext: 'jpg', type: 'image/jpeg', is: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    ext: 'gif',
    type: 'image/gif',
    is: (b) =>
      /^GIF8[79]a/.test(b.subarray(0, 6).toString('latin1')) && b.length > 13 && b.at(-1) === 0x3b,
  },
  {
    ext: 'webp',
    type: 'image/webp',
    is: (b) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' &&
      b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
  {
    ext: 'mp3',
    type: 'audio/mpeg',
    is: (b) =>
      b.subarray(0, 3).toString('latin1') === 'ID3' || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0),
  },
  { ext: 'ogg', type: 'audio/ogg', is: (b) => b.subarray(0, 4).toString('latin1') === 'OggS' },
  {
    ext: 'wav',
    type: 'audio/wav',
    is: (b) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' &&
      b.subarray(8, 12).toString('latin1') === 'WAVE',
  },
];

const NAME = /^([a-f0-9]{64})\.([a-z0-9]{2,5})$/;

export interface StoredQuestionFile {
  /** `<sha256>.<ext>`: what the app's address and an export name it by. */
  name: string;
  url: string;
}

/**
 * Files shown in questions (ADR 0034): kept by content hash in the configured file store,
 * one row per bank that uses them. Served to the bank's sector staff, and to a candidate
 * only when a question of one of their attempts shows it.
 */
@Injectable()
export class QuestionFilesService {
  constructor(
    @InjectRepository(QuestionFile) private readonly files: Repository<QuestionFile>,
    @InjectRepository(QuestionBank) private readonly banks: Repository<QuestionBank>,
    private readonly storage: FileStorage,
    private readonly access: AccessService,
    private readonly data: DataSource,
    private readonly attempts: AttemptsService,
  ) {}

  /**
   * Why `content` cannot be a question file, or null when it can. The reason names the
   * file, for the import's warnings and the editor's message.
   */
  refusal(content: Buffer, label: string): string | null {
    if (!content.length) return `berkas "${label}" kosong`;
    if (content.length > MAX_QUESTION_FILE_BYTES)
      return `berkas "${label}" lebih dari ${MAX_QUESTION_FILE_BYTES / 1024 / 1024} MB`;
    if (!KINDS.some((k) => k.is(content)))
      return `berkas "${label}" bukan gambar (PNG, JPEG, GIF, WebP) atau audio (MP3, OGG, WAV) yang utuh`;
    return null;
  }

  /** Stores a file for a bank the caller already may manage; the same bytes are kept once. */
  async store(
    actor: AuthUser,
    bankId: string,
    content: Buffer,
    label: string,
  ): Promise<StoredQuestionFile> {
    const problem = this.refusal(content, label);
    if (problem)
      throw bankError('bank.invalid', { variant: 'file', field: 'file', params: { problem } });
    const kind = KINDS.find((k) => k.is(content))!;
    const hash = createHash('sha256').update(content).digest('hex');
    const name = `${hash}.${kind.ext}`;
    await this.storage.putChecked(`question-files/${name}`, content, kind.type);
    const known = await this.files.findOneBy({ bankId, hash });
    if (!known)
      await this.files
        .insert({
          id: randomUUID(),
          bankId,
          hash,
          ext: kind.ext,
          contentType: kind.type,
          size: content.length,
          createdBy: actor.id,
          createdAt: new Date(),
        })
        // Two imports of one file at once: the other's row is as good as ours.
        .catch(async (error) => {
          if (!(await this.files.findOneBy({ bankId, hash }))) throw error;
        });
    return { name, url: QUESTION_FILE_PATH + name };
  }

  /** Of `names` (`<sha256>.<ext>`), those this bank holds no file for. */
  async missingIn(bankId: string, names: string[]): Promise<string[]> {
    if (!names.length) return [];
    const hashes = names.map((n) => NAME.exec(n)?.[1] ?? '');
    const held = new Set(
      (await this.files.findBy({ bankId, hash: In(hashes) })).map((r) => `${r.hash}.${r.ext}`),
    );
    return names.filter((n) => !held.has(n));
  }

  /** The bytes of files named in a bank's texts, for an export. */
  async bytesOf(bankId: string, names: string[]): Promise<Map<string, Buffer>> {
    const hashes = [
      ...new Set(names.map((n) => NAME.exec(n)?.[1]).filter((h): h is string => !!h)),
    ];
    const out = new Map<string, Buffer>();
    if (!hashes.length) return out;
    for (const row of await this.files.findBy({ bankId, hash: In(hashes) })) {
      const { content } = await this.storage.read(`question-files/${row.hash}.${row.ext}`);
      out.set(`${row.hash}.${row.ext}`, content);
    }
    return out;
  }

  /**
   * A file for `caller`: staff of a sector whose bank holds it, or a candidate whose own
   * attempt shows it now: named by a question of a bank that holds the file, in what the
   * attempt's view gives its owner (stem and options while open, feedback and key once the
   * review policy shows them). Anyone else is told it does not exist, so a hash confirms nothing.
   */
  async read(caller: AuthUser, name: string): Promise<{ content: Buffer; contentType: string }> {
    const match = NAME.exec(name);
    if (!match) throw bankError('bank.not_found', { variant: 'file' });
    const [, hash, ext] = match;
    const rows = await this.files.findBy({ hash, ext });
    if (!rows.length) throw bankError('bank.not_found', { variant: 'file' });
    const banks = await this.banks.findBy({ id: In(rows.map((r) => r.bankId)) });
    const staff = banks.some((b) => this.access.canManageSector(caller, b.sector));
    if (!staff && !(await this.shownToCandidate(caller, hash, ext)))
      throw bankError('bank.not_found', { variant: 'file' });
    const { content } = await this.storage.read(`question-files/${name}`);
    return { content, contentType: rows[0].contentType };
  }

  private async shownToCandidate(caller: AuthUser, hash: string, ext: string): Promise<boolean> {
    const address = `${QUESTION_FILE_PATH}${hash}.${ext}`;
    const pattern = `%${address}%`;
    // Only the bank of the question holds the file for it: another sector's question naming
    // this address (its author learnt the hash) lends it to no one.
    const attempts: { attemptId: string }[] = await this.data.query(
      `SELECT DISTINCT i.attemptId AS attemptId FROM attempt_items i
         JOIN attempts a ON a.id = i.attemptId
         JOIN questions q ON q.id = i.questionId
         JOIN question_files f ON f.bankId = q.bankId AND f.hash = ? AND f.ext = ?
         JOIN question_versions v ON v.questionId = i.questionId AND v.version = i.questionVersion
        WHERE a.userId = ? AND (v.stem LIKE ? OR v.definition LIKE ? OR v.generalFeedback LIKE ?)`,
      [hash, ext, caller.id, pattern, pattern, pattern],
    );
    for (const { attemptId } of attempts)
      if (await this.attempts.ownerSees(caller, attemptId, address)) return true;
    return false;
  }
}
