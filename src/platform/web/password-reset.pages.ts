import { Body, Controller, Get, Inject, Ip, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { Public } from '../auth/auth.decorators.js';
import { PasswordResetService, RESET_PAGE } from '../auth/password-reset.service.js';
import { DomainError, messageOf, STATUS_OF_KIND } from '../http/domain-error.js';
import { languageOf } from '../http/lang.decorator.js';
import { t } from '../i18n/i18n.js';
import { ACCESS_COOKIE, dropCsrfSecret, REFRESH_COOKIE } from './cookies.js';
import { PageRenderer } from './page-renderer.js';

type Form = Record<string, string | undefined>;

/** "Lupa kata sandi": asking for a reset link, and the page the link opens (ADR 0026). */
@ApiExcludeController()
@Controller()
export class PasswordResetPages {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly resets: PasswordResetService,
    private readonly pages: PageRenderer,
  ) {}

  @Public()
  @Get('lupa-sandi')
  forgot(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(req, reply, 'pages/forgot-password', this.forgotData(req));
  }

  @Public()
  @Post('lupa-sandi')
  async requestLink(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() form: Form,
    @Ip() ip: string,
  ) {
    const username = String(form.username ?? '').slice(0, 190);
    const lang = languageOf(req);
    if (!username.trim())
      return this.pages.render(
        req,
        reply,
        'pages/forgot-password',
        { ...this.forgotData(req), error: t(lang, 'forgot.required') },
        400,
      );
    try {
      await this.resets.request(username, ip);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.pages.render(
        req,
        reply,
        'pages/forgot-password',
        { ...this.forgotData(req), username, error: messageOf(error, lang) },
        STATUS_OF_KIND[error.kind],
      );
    }
    // The same page and words whether or not the account exists; the field is emptied.
    return this.pages.render(req, reply, 'pages/forgot-password', {
      ...this.forgotData(req),
      sent: true,
    });
  }

  @Public()
  @Get(RESET_PAGE.slice(1))
  async resetForm(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('token') token?: string,
  ) {
    const valid = typeof token === 'string' && (await this.resets.isValid(token));
    return this.pages.render(
      req,
      reply,
      'pages/reset-password',
      { titleKey: 'reset.title', token: valid ? token : null },
      valid ? 200 : 400,
    );
  }

  @Public()
  @Post(RESET_PAGE.slice(1))
  async reset(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() form: Form,
    @Ip() ip: string,
  ) {
    const token = String(form.token ?? '');
    const lang = languageOf(req);
    const again = (error: string, field: string, valid = true) =>
      this.pages.render(
        req,
        reply,
        'pages/reset-password',
        { titleKey: 'reset.title', token: valid ? token : null, error, field },
        400,
      );
    if (form.newPassword !== form.confirmPassword)
      return again(t(lang, 'password.mismatch'), 'confirmPassword');
    try {
      await this.resets.confirm(token, String(form.newPassword ?? ''), ip);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const field = error.field ?? 'newPassword';
      return again(messageOf(error, lang), field, field !== 'token');
    }
    // Every session of the account ended, this browser's too if it held one.
    reply.clearCookie(ACCESS_COOKIE, { path: '/' });
    reply.clearCookie(REFRESH_COOKIE, { path: '/' });
    dropCsrfSecret(reply, this.config.env === 'production');
    return this.pages.redirect(reply, '/masuk', { kind: 'success', key: 'reset.done' });
  }

  private forgotData(req: FastifyRequest) {
    return {
      titleKey: 'forgot.title' as const,
      selfService: this.resets.selfService,
      contact: this.resets.contact(languageOf(req)),
    };
  }
}
