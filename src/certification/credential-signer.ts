import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  SignJWT,
  calculateJwkThumbprint,
} from 'jose';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';

/**
 * The platform's Ed25519 key: signs certificate credentials (W3C Verifiable Credentials,
 * Open Badges 3.0, as JWTs) that anyone can verify offline with the public key published at
 * `/.well-known/jwks.json`. In development the key is generated once under `data/`.
 */
@Injectable()
export class CredentialSigner implements OnModuleInit {
  private privateKey!: CryptoKey;
  private publicJwk!: JWK;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    const jwk = JSON.parse(this.config.signingKeyJwk ?? (await this.developmentKey())) as JWK;
    this.privateKey = (await importJWK(jwk, 'EdDSA')) as CryptoKey;
    const { d: _secret, ...publicPart } = jwk;
    const kid = await calculateJwkThumbprint(publicPart);
    this.publicJwk = { ...publicPart, kid, alg: 'EdDSA', use: 'sig' };
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  /** A VC-JWT: the credential as the `vc` claim, signed with EdDSA. */
  async sign(credential: Record<string, unknown>, subject: string, id: string): Promise<string> {
    return new SignJWT({ vc: credential })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.publicJwk.kid, typ: 'vc+jwt' })
      .setIssuer(this.config.publicUrl)
      .setSubject(subject)
      .setJti(id)
      .setIssuedAt()
      .sign(this.privateKey);
  }

  private async developmentKey(): Promise<string> {
    const file = resolve(this.config.dataDir, 'signing-key.jwk.json');
    if (existsSync(file)) return readFileSync(file, 'utf8');
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const json = JSON.stringify(await exportJWK(privateKey));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, json, { mode: 0o600 });
    return json;
  }
}
