import { Injectable } from '@nestjs/common';
import {
  createHash,
  randomBytes,
  scrypt as scryptCb,
  ScryptOptions,
  timingSafeEqual,
} from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

// scrypt is memory-hard and built into Node: no native add-on to compile or download.
const PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

@Injectable()
export class PasswordService {
  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await scrypt(password, salt, KEY_LENGTH, {
      ...PARAMS,
      maxmem: 128 * PARAMS.N * PARAMS.r * 2,
    });
    return [
      'scrypt',
      PARAMS.N,
      PARAMS.r,
      PARAMS.p,
      salt.toString('base64'),
      key.toString('base64'),
    ].join('$');
  }

  /**
   * Hash for a password the system generated (at least 96 random bits, temporary, must be
   * changed at first login). A memory-hard function protects guessable human passwords; a
   * random secret of this size cannot be guessed, so a salted SHA-256 is enough, and a
   * 1,000-row import does not spend two minutes in scrypt.
   */
  hashGenerated(secret: string): string {
    const salt = randomBytes(16);
    const digest = createHash('sha256').update(salt).update(secret).digest();
    return ['sha256', salt.toString('base64'), digest.toString('base64')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    if (stored.startsWith('sha256$')) {
      const [, salt, expected] = stored.split('$');
      const digest = createHash('sha256')
        .update(Buffer.from(salt, 'base64'))
        .update(password)
        .digest();
      const want = Buffer.from(expected, 'base64');
      return digest.length === want.length && timingSafeEqual(digest, want);
    }
    const [scheme, n, r, p, salt, expected] = stored.split('$');
    if (scheme !== 'scrypt' || !salt || !expected) return false;
    const N = Number(n);
    const want = Buffer.from(expected, 'base64');
    const key = await scrypt(password, Buffer.from(salt, 'base64'), want.length, {
      N,
      r: Number(r),
      p: Number(p),
      maxmem: 128 * N * Number(r) * 2,
    });
    return timingSafeEqual(key, want);
  }
}
