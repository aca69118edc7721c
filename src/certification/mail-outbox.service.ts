import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import nodemailer, { type Transporter } from 'nodemailer';
import { Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { isUniqueViolation } from '../database/db-errors.js';
import { TransactionService } from '../database/transaction.service.js';
import { User } from '../identity/user.entity.js';
import { Clock } from '../platform/clock.js';
import { NotificationsService } from '../platform/notifications/notifications.service.js';
import { AUTOMATED_MAIL_HEADERS, mailHtml } from '../platform/mail/mail-body.js';
import { JobLeaseService, tickOf } from '../platform/scheduler/job-lease.service.js';
import { TemplateRegistry } from '../registry/registries.js';
import { OutboxMail } from './certification.entity.js';

export interface MailMessage {
  userId: string;
  /** A Handlebars template under `templates/mail/` (without `.hbs`); its first line is the subject. */
  template: string;
  data: Record<string, unknown>;
  /** The same key twice is one message: reminders are sent once. */
  dedupeKey: string;
  link?: string;
  kind: string;
}

/**
 * Mail through an outbox table: a message is stored with the change that causes it and
 * also lands on the user's notifications page; a job sends pending mail by SMTP when
 * `SMTP_URL` is set.
 */
@Injectable()
export class MailOutbox {
  private readonly logger = new Logger('MailOutbox');
  private transport: Transporter | null = null;
  private readonly compiled = new Map<string, handlebars.TemplateDelegate>();

  constructor(
    @InjectRepository(OutboxMail) private readonly outbox: Repository<OutboxMail>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly templates: TemplateRegistry,
    private readonly notifications: NotificationsService,
    private readonly leases: JobLeaseService,
    private readonly clock: Clock,
    private readonly transactions: TransactionService,
  ) {}

  /**
   * Queues a message once per dedupe key; returns false when it was already queued.
   * Inside the caller's transaction when there is one: the mail and its notification exist
   * if the change does.
   */
  async enqueue(message: MailMessage): Promise<boolean> {
    // Inside a transaction, on its connection: a second one from the pool could wait for
    // ever while the transaction holds locks that the pool's other connections wait for.
    const user = await this.transactions.repository(User).findOneBy({
      id: message.userId,
    });
    const [subject, ...body] = this.render(message.template, {
      ...message.data,
      name: user?.name,
      publicUrl: this.config.publicUrl,
    })
      .trim()
      .split('\n');
    const text = body.join('\n').trim();
    try {
      await this.transactions.repository(OutboxMail).insert({
        userId: message.userId,
        recipient: user?.email ?? null,
        subject: subject.trim().slice(0, 200),
        html: mailHtml(text),
        text,
        dedupeKey: message.dedupeKey,
        status: 'pending',
        attempts: 0,
        sentAt: null,
        createdAt: this.clock.now(),
      });
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
    await this.notifications.notify({
      userId: message.userId,
      kind: message.kind,
      title: subject.trim(),
      body: text,
      link: message.link ?? null,
    });
    return true;
  }

  @Cron(CronExpression.EVERY_MINUTE, { name: 'mail.outbox' })
  tick(): Promise<boolean> {
    return this.leases.runOnce('mail.outbox', tickOf(this.clock.now(), 60_000), 5 * 60_000, () =>
      this.sendPending(),
    );
  }

  /** Sends what waits (without SMTP configured, marks it skipped: it is on the notifications page). */
  async sendPending(limit = 100): Promise<void> {
    const pending = await this.outbox.find({ where: { status: 'pending' }, take: limit });
    for (const mail of pending) {
      if (!this.config.smtpUrl || !mail.recipient) {
        await this.outbox.update({ id: mail.id }, { status: 'skipped' });
        continue;
      }
      try {
        this.transport ??= nodemailer.createTransport(this.config.smtpUrl);
        await this.transport.sendMail({
          from: this.config.mailFrom,
          to: mail.recipient,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: AUTOMATED_MAIL_HEADERS,
        });
        await this.outbox.update(
          { id: mail.id },
          { status: 'sent', sentAt: this.clock.now(), attempts: mail.attempts + 1 },
        );
      } catch (error) {
        this.logger.warn({ err: error, mail: mail.id }, 'Mail not sent; will retry');
        await this.outbox.update(
          { id: mail.id },
          { attempts: mail.attempts + 1, status: mail.attempts + 1 >= 5 ? 'failed' : 'pending' },
        );
      }
    }
  }

  private render(template: string, data: Record<string, unknown>): string {
    let compiled = this.compiled.get(template);
    if (!compiled) {
      const file = this.templates.resolve(`mail/${template}`);
      if (!file) throw new Error(`Mail template mail/${template} is missing`);
      compiled = handlebars.compile(readFileSync(file, 'utf8'), { noEscape: true });
      this.compiled.set(template, compiled);
    }
    return compiled(data);
  }
}
