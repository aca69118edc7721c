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

/** The registered claims of a VC-JWT besides the credential itself. */
export interface JwtClaims {
  subject?: string;
  id: string;
  /** When the credential was issued (stable: the same on every download). */
  issuedAt: Date;
  /** `nbf`: the credential's validFrom. */
  notBefore?: Date;
  /** `exp`: the credential's validUntil; a standard verifier refuses it after that. */
  expiresAt?: Date | null;
}

/** JWT NumericDate: whole seconds since the epoch. */
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * The platform's Ed25519 key: signs certificate credentials (W3C Verifiable Credentials,
 * Open Badges 3.0, as JWTs) and the revocation status lists, which anyone can verify offline
 * with the public key published at `/.well-known/jwks.json`. The header's `kid` is the key's
 * own address (`<PUBLIC_URL>/.well-known/jwks.json#<thumbprint>`), the same string as the
 * key's `kid` in that set, so an ordinary verifier finds it. In development the key is
 * generated once under `data/`.
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
    const kid = `${this.jwksUrl()}#${await calculateJwkThumbprint(publicPart)}`;
    this.publicJwk = { ...publicPart, kid, alg: 'EdDSA', use: 'sig' };
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  jwksUrl(): string {
    return `${this.config.publicUrl}/.well-known/jwks.json`;
  }

  /** A VC-JWT: the credential as the `vc` claim, signed with EdDSA. */
  async sign(credential: Record<string, unknown>, claims: JwtClaims): Promise<string> {
    const jwt = new SignJWT({ vc: credential })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.publicJwk.kid, typ: 'vc+jwt' })
      .setIssuer(this.config.publicUrl)
      .setJti(claims.id)
      .setIssuedAt(seconds(claims.issuedAt));
    if (claims.subject) jwt.setSubject(claims.subject);
    if (claims.notBefore) jwt.setNotBefore(seconds(claims.notBefore));
    if (claims.expiresAt) jwt.setExpirationTime(seconds(claims.expiresAt));
    return jwt.sign(this.privateKey);
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
