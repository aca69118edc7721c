import type { FastifyReply } from 'fastify';

export const ACCESS_COOKIE = 'sa_access';
export const REFRESH_COOKIE = 'sa_refresh';
export const FLASH_COOKIE = 'sa_flash';
/** The secret behind the pages' CSRF tokens; dropped at login and logout so it is renewed. */
export const CSRF_COOKIE = 'sa_csrf';

/** Session cookies: httpOnly, SameSite=Lax, Secure when served in production. */
export function sessionCookie(production: boolean, maxAgeSeconds: number) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: production,
    path: '/',
    maxAge: maxAgeSeconds,
  };
}

/** Drops the CSRF secret (at login, logout and password change) so the next page makes a new one. */
export function dropCsrfSecret(reply: FastifyReply, production: boolean): void {
  reply.clearCookie(CSRF_COOKIE, { ...sessionCookie(production, 0), maxAge: undefined });
}

/**
 * A message for the next page, shown in that page's language: a catalogue key with its
 * params (a domain error's text the catalogue lacks, a sector's, shows as it is).
 */
export interface Flash {
  kind: 'success' | 'error' | 'info';
  key: string;
  params?: Record<string, string | number>;
}

/** A message for the next page the browser opens (after a redirect). */
export function setFlash(reply: FastifyReply, flash: Flash): void {
  reply.setCookie(FLASH_COOKIE, Buffer.from(JSON.stringify(flash)).toString('base64url'), {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    maxAge: 60,
  });
}

export function readFlash(raw: string | undefined): Flash | null {
  if (!raw) return null;
  try {
    const flash = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Flash;
    return typeof flash.key === 'string' && ['success', 'error', 'info'].includes(flash.kind)
      ? flash
      : null;
  } catch {
    return null;
  }
}
