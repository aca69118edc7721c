import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { InjectRepository } from '@nestjs/typeorm';
import { createSecretKey } from 'node:crypto';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Repository } from 'typeorm';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { User } from '../../identity/user.entity.js';
import { ACCESS_COOKIE } from '../web/cookies.js';
import type { AuthUser } from './auth-user.js';
import { AuthUserCache, type TokenHolder } from './auth-user-cache.js';

interface AccessClaims {
  sub: string;
  /** The user's session version when the token was issued. */
  sv?: unknown;
  /** The sign-in session (refresh family). */
  sid?: unknown;
}

// The cookie serves the pages, and the API's reads that pages link to (file downloads,
// exports). A write to the API needs the Bearer header, so a cross-site request can never
// change anything by riding on the cookie (the pages' own forms carry CSRF tokens instead).
const SAFE_METHODS = new Set(['GET', 'HEAD']);
const fromCookie = (req: {
  url?: string;
  method?: string;
  cookies?: Record<string, string | undefined>;
}): string | null =>
  req.url?.startsWith('/api/') && !SAFE_METHODS.has(req.method ?? '')
    ? null
    : (req.cookies?.[ACCESS_COOKIE] ?? null);

/** Accepts the access token as a Bearer header (API) or an httpOnly cookie (pages). */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly cache: AuthUserCache,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromExtractors([
        ExtractJwt.fromAuthHeaderAsBearerToken(),
        fromCookie,
      ]),
      // A key object, not a string: the token library would otherwise first try the
      // string as a public key on every request, which costs ~50x more.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret)) as unknown as string,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  /**
   * Checks the user behind the token, so a deactivated account loses access at once, and a
   * token issued before the user's sessions were ended (logout, password change, role change)
   * is refused. The row comes from a cache of a few seconds that ending sessions clears in
   * every instance (see AuthUserCache).
   */
  async validate(claims: AccessClaims): Promise<AuthUser | false> {
    const holder =
      this.cache.get(claims.sub, claims.sv) ??
      (await this.cache.load(claims.sub, () => this.read(claims.sub)));
    if (!holder || !holder.active || claims.sv !== holder.sessionVersion) return false;
    // A copy: what a request does with its user must not reach the cache.
    return {
      ...holder.user,
      sectors: [...holder.user.sectors],
      ...(typeof claims.sid === 'string' && { sid: claims.sid }),
    };
  }

  private async read(id: string): Promise<TokenHolder | null> {
    const user = await this.users.findOneBy({ id });
    if (!user) return null;
    return {
      active: user.active,
      sessionVersion: user.sessionVersion,
      user: {
        id: user.id,
        role: user.role,
        sectors: user.sectors,
        name: user.name,
        mustChangePassword: user.mustChangePassword,
      },
    };
  }
}
