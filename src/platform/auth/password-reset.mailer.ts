import { Inject, Injectable, Logger } from '@nestjs/common';
import handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { templatesRoot } from '../../config/paths.js';
import { AUTOMATED_MAIL_HEADERS, mailHtml } from '../mail/mail-body.js';

export interface ResetMail {
  to: string;
  name: string;
  link: string;
  minutes: number;
}

/**
 * Sends the password-reset mail straight by SMTP, not through the mail outbox: the outbox
 * keeps each message's text (and shows it on the notifications page), and a reset link is a
 * secret that must not be stored anywhere but as its hash (ADR 0026).
 */
@Injectable()
export class PasswordResetMailer {
  private readonly logger = new Logger('PasswordResetMailer');
  private transport: Transporter | null = null;
  private template?: handlebars.TemplateDelegate;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(mail: ResetMail): Promise<void> {
    if (!this.config.smtpUrl) return;
    this.template ??= handlebars.compile(
      readFileSync(join(templatesRoot, 'mail', 'password-reset.hbs'), 'utf8'),
      { noEscape: true },
    );
    const [subject, ...body] = this.template(mail).trim().split('\n');
    const text = body.join('\n').trim();
    this.transport ??= nodemailer.createTransport(this.config.smtpUrl);
    await this.transport.sendMail({
      from: this.config.mailFrom,
      to: mail.to,
      subject: subject.trim(),
      text,
      html: mailHtml(text),
      headers: AUTOMATED_MAIL_HEADERS,
    });
  }

  /** Sends without holding the request: how long it takes must not tell whether the account exists. */
  sendLater(mail: ResetMail, userId: string): void {
    this.send(mail).catch((error: unknown) =>
      this.logger.warn({ err: error, userId }, 'Password-reset mail not sent'),
    );
  }
}
