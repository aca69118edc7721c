import { createParamDecorator, ExecutionContext } from '@nestjs/common';

export type Language = 'id' | 'en';
export const LANG_COOKIE = 'sa_lang';

/** The caller's language: the `sa_lang` cookie, then Accept-Language, then Indonesian. */
export function languageOf(request: {
  headers: Record<string, string | string[] | undefined>;
  cookies?: Record<string, string | undefined>;
}): Language {
  const cookie = request.cookies?.[LANG_COOKIE];
  if (cookie === 'id' || cookie === 'en') return cookie;
  const header = String(request.headers['accept-language'] ?? '').toLowerCase();
  for (const part of header.split(',')) {
    const tag = part.trim().slice(0, 2);
    if (tag === 'id' || tag === 'en') return tag;
  }
  return 'id';
}

export const Lang = createParamDecorator((_: unknown, ctx: ExecutionContext): Language =>
  languageOf(ctx.switchToHttp().getRequest()),
);
