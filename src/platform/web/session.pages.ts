import {
  Body,
  Controller,
  Get,
  Inject,
  Ip,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { MeService } from '../auth/me.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { Allow, CurrentUser, OpenBeforePasswordChange, Public } from '../auth/auth.decorators.js';
import { AuthService } from '../auth/auth.service.js';
import { DomainError, messageOf } from '../http/domain-error.js';
import { LANG_COOKIE, languageOf } from '../http/lang.decorator.js';
import { t } from '../i18n/i18n.js';
import { sendFile } from '../http/table-export.js';
import { ExportThrottleGuard } from '../personal-data/export-throttle.guard.js';
import { PersonalExport } from '../personal-data/personal-export.service.js';
import { ACCESS_COOKIE, dropCsrfSecret, REFRESH_COOKIE, sessionCookie } from './cookies.js';
import { PageRenderer, safeNext } from './page-renderer.js';

type Form = Record<string, string | undefined>;

/**
 * The login form's username field: a NIP by default (the digit keypad on phones), or an
 * e-mail after the "Masuk dengan e-mail" link, a plain link so it works without script.
 */
function loginForm(emailMode: boolean, next: string) {
  const query = new URLSearchParams({
    ...(emailMode ? {} : { cara: 'email' }),
    ...(next && { next }),
  });
  const search = query.toString();
  return { emailMode, next, switchHref: `/masuk${search ? `?${search}` : ''}` };
}

/** Login, logout, language, profile and password pages (the home page is the role's dashboard, in reporting). */
@ApiExcludeController()
@Controller()
export class SessionPages {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly me: MeService,
    private readonly pages: PageRenderer,
    private readonly personal: PersonalExport,
  ) {}

  @Public()
  @Get('masuk')
  login(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('next') next?: string,
    @Query('cara') mode?: string,
  ) {
    return this.pages.render(req, reply, 'pages/login', {
      titleKey: 'login.title',
      ...loginForm(mode === 'email', safeNext(next, '')),
    });
  }

  @Public()
  @Post('masuk')
  async submitLogin(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() form: Form,
    @Ip() ip: string,
  ) {
    const username = String(form.username ?? '');
    try {
      const pair = await this.auth.login(username, String(form.password ?? ''), ip);
      const production = this.config.env === 'production';
      reply.setCookie(ACCESS_COOKIE, pair.accessToken, sessionCookie(production, pair.expiresIn));
      reply.setCookie(REFRESH_COOKIE, pair.refreshToken, sessionCookie(production, 14 * 86400));
      // A new CSRF secret for the new session (its tokens are bound to the session as well).
      dropCsrfSecret(reply, this.config.env === 'production');
      return this.pages.redirect(
        reply,
        pair.passwordChangeRequired ? '/ganti-sandi' : safeNext(form.next),
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.pages.render(
        req,
        reply,
        'pages/login',
        {
          titleKey: 'login.title',
          username,
          // An e-mail typed in the NIP field comes back in the e-mail field.
          ...loginForm(form.cara === 'email' || /[^\d\s]/.test(username), safeNext(form.next, '')),
          error: messageOf(error, languageOf(req)),
        },
        401,
      );
    }
  }

  @Public()
  @Post('keluar')
  async logout(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.auth.logout(req.cookies[REFRESH_COOKIE]);
    reply.clearCookie(ACCESS_COOKIE, { path: '/' });
    reply.clearCookie(REFRESH_COOKIE, { path: '/' });
    dropCsrfSecret(reply, this.config.env === 'production');
    return this.pages.redirect(reply, '/masuk', { kind: 'info', key: 'login.loggedOut' });
  }

  @Public()
  @Post('bahasa')
  language(@Res() reply: FastifyReply, @Body() form: Form) {
    const lang = form.lang === 'en' ? 'en' : 'id';
    reply.setCookie(LANG_COOKIE, lang, { path: '/', sameSite: 'lax', maxAge: 365 * 86400 });
    return this.pages.redirect(reply, safeNext(form.next, '/'));
  }

  @Allow('self.read')
  @Get('profil')
  async profile(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
  ) {
    return this.pages.render(req, reply, 'pages/profile', {
      titleKey: 'profile.title',
      profile: await this.me.get(user),
    });
  }

  /** "Unduh data saya": the same ZIP as `GET /api/v1/me/export`, for a plain link. */
  @Allow('self.read')
  @Get('profil/unduh')
  @UseGuards(ExportThrottleGuard)
  async download(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
  ) {
    return sendFile(reply, await this.personal.build(user, req.ip));
  }

  @Allow('self.read')
  @OpenBeforePasswordChange()
  @Get('ganti-sandi')
  password(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @CurrentUser() user: AuthUser) {
    return this.pages.render(req, reply, 'pages/password', {
      titleKey: 'password.title',
      mustChange: user.mustChangePassword,
    });
  }

  @Allow('self.read')
  @OpenBeforePasswordChange()
  @Post('ganti-sandi')
  async changePassword(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Body() form: Form,
  ) {
    const again = (error: string, field: string) =>
      this.pages.render(
        req,
        reply,
        'pages/password',
        { titleKey: 'password.title', mustChange: user.mustChangePassword, error, field },
        400,
      );
    if (form.newPassword !== form.confirmPassword)
      return again(t(languageOf(req), 'password.mismatch'), 'confirmPassword');
    try {
      await this.auth.changePassword(
        user.id,
        String(form.currentPassword ?? ''),
        String(form.newPassword ?? ''),
      );
    } catch (error) {
      if (error instanceof DomainError)
        return again(messageOf(error, languageOf(req)), error.field ?? 'newPassword');
      throw error;
    }
    // Every session ended with the change, this one too: it starts afresh.
    reply.clearCookie(ACCESS_COOKIE, { path: '/' });
    reply.clearCookie(REFRESH_COOKIE, { path: '/' });
    dropCsrfSecret(reply, this.config.env === 'production');
    return this.pages.redirect(reply, '/masuk', { kind: 'success', key: 'password.changed' });
  }
}
