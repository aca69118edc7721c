import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { gzipSync } from 'node:zlib';
import { Between, Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { TransactionService } from '../database/transaction.service.js';
import { Clock } from '../platform/clock.js';
import { errorFamily } from '../platform/http/domain-error.js';
import { Certificate, StatusListCounter } from './certification.entity.js';
import { CredentialSigner } from './credential-signer.js';

const statusListError = errorFamily({ 'status_list.not_found': 'not_found' });

/** Bits per list: 131,072 (16 KB), the minimum the W3C spec asks for herd privacy. */
export const STATUS_LIST_SIZE = 131_072;
/**
 * Places inside a list are spread by an odd multiplier (a bijection modulo 2^17), so the
 * index of a certificate does not tell in what order it was issued, yet two certificates
 * never share one.
 */
const SPREAD = 40_503;
const COUNTER = 'revocation';
/** How long a verifier may cache a list before fetching it again (spec's `ttl`, ms). */
const TTL_MS = 5 * 60_000;

/** A certificate's entry in the revocation lists: which list, and which bit of it. */
export function statusPlace(statusIndex: number): { list: number; index: number } {
  const list = Math.floor(statusIndex / STATUS_LIST_SIZE);
  const index = ((statusIndex % STATUS_LIST_SIZE) * SPREAD) % STATUS_LIST_SIZE;
  return { list, index };
}

/** The bitstring with the given bits set (bit 0 is the left-most bit of the first byte). */
export function bitstring(indexes: number[]): Buffer {
  const bits = Buffer.alloc(STATUS_LIST_SIZE / 8);
  for (const i of indexes) bits[i >> 3] |= 0x80 >> (i & 7);
  return bits;
}

/**
 * Revocation published as a W3C Bitstring Status List: each certificate holds a stable bit
 * (given when it is numbered), its credential names the list and the bit
 * (`BitstringStatusListEntry`), and the list itself is a signed credential at a public URL
 * whose `encodedList` is the GZIP-compressed bitstring, multibase base64url. Any verifier
 * that knows the spec reads it without asking this platform anything else.
 */
@Injectable()
export class StatusLists {
  constructor(
    @InjectRepository(Certificate) private readonly certificates: Repository<Certificate>,
    @InjectRepository(StatusListCounter)
    private readonly counters: Repository<StatusListCounter>,
    private readonly signer: CredentialSigner,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transactions: TransactionService,
  ) {}

  /**
   * The first of `count` free places, taken inside the numbering transaction (ADR 0041): the
   * counter row stays locked until commit, so two numberings never take the same place, and a
   * rollback returns them.
   */
  async take(count: number): Promise<number> {
    const manager = this.transactions.manager();
    await manager
      .createQueryBuilder()
      .update(StatusListCounter)
      .set({ value: () => `value + ${Math.trunc(count)}` })
      .where('id = :id', { id: COUNTER })
      .execute();
    const { value } = (await manager.getRepository(StatusListCounter).findOneBy({ id: COUNTER }))!;
    return value - count;
  }

  url(list: number): string {
    return `${this.config.publicUrl}/api/v1/status-lists/${list}`;
  }

  /** The `credentialStatus` of a certificate's credential. */
  entry(statusIndex: number) {
    const { list, index } = statusPlace(statusIndex);
    const url = this.url(list);
    return {
      id: `${url}#${index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(index),
      statusListCredential: url,
    };
  }

  /** The signed status list credential (a VC-JWT) of list `id`. */
  async credential(id: string): Promise<string> {
    const list = /^\d{1,6}$/.test(id) ? Number(id) : NaN;
    const counter = await this.counters.findOneBy({ id: COUNTER });
    if (
      !Number.isInteger(list) ||
      !counter ||
      list * STATUS_LIST_SIZE >= Math.max(counter.value, 1)
    )
      throw statusListError('status_list.not_found');
    const revoked = await this.certificates.find({
      select: { statusIndex: true },
      where: {
        status: 'revoked',
        statusIndex: Between(list * STATUS_LIST_SIZE, (list + 1) * STATUS_LIST_SIZE - 1),
      },
    });
    const bits = bitstring(revoked.map((c) => statusPlace(c.statusIndex!).index));
    const now = this.clock.now();
    const url = this.url(list);
    const credential = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: url,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: this.config.publicUrl,
      validFrom: now.toISOString(),
      credentialSubject: {
        id: `${url}#list`,
        type: 'BitstringStatusList',
        statusPurpose: 'revocation',
        encodedList: `u${gzipSync(bits).toString('base64url')}`,
        ttl: TTL_MS,
      },
    };
    return this.signer.sign(credential, { id: url, issuedAt: now });
  }
}
