import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { TransactionService } from '../../database/transaction.service.js';
import { maskNip } from '../../identity/nip.js';
import { AuditService } from '../../platform/audit/audit.service.js';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Clock } from '../../platform/clock.js';
import { formatDateTime, formatPercent } from '../../platform/i18n/local-format.js';
import { artifact, createTaggedPdf, FONT, tag } from '../../platform/pdf/tagged-pdf.js';
import { FileStorage } from '../../platform/storage/file-storage.js';
import { sessionError } from './session-errors.js';
import { type IncidentKind, SessionMinutes } from './session.entity.js';
import { SessionsService } from './sessions.service.js';

const INCIDENT_NAMES: Record<IncidentKind, string> = {
  extend: 'Tambah waktu',
  pause: 'Jeda',
  resume: 'Lanjut',
  move: 'Pindah perangkat',
  void: 'Pembatalan',
  absent: 'Tidak hadir',
  release: 'Buka kunci kursi',
  pin_redrawn: 'PIN diganti',
  locked: 'Kursi terkunci',
};

const STATE_NAMES: Record<string, string> = {
  assigned: 'Tidak mulai',
  locked: 'Terkunci',
  absent: 'Tidak hadir',
  in_progress: 'Mengerjakan',
  paused: 'Dijeda',
  submitted: 'Selesai',
  needs_grading: 'Menunggu penilaian',
  graded: 'Selesai',
  voided: 'Dibatalkan',
};

/**
 * The minutes (berita acara) of a closed session (ADR 0024): written once at the close as a
 * PDF, stored by the storage driver, its SHA-256 recorded and shown. Nothing rewrites it; a
 * correction is a new version that names the one it corrects and says what changed. No
 * full NIP is printed.
 */
@Injectable()
export class SessionMinutesService {
  constructor(
    @InjectRepository(SessionMinutes) private readonly minutes: Repository<SessionMinutes>,
    private readonly sessions: SessionsService,
    private readonly files: FileStorage,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Closes the session and writes its first minutes. */
  async close(actor: AuthUser, sessionId: string) {
    const session = await this.sessions.close(actor, sessionId);
    const minutes = await this.write(actor, session.id, null);
    return {
      id: session.id,
      status: session.status,
      closedAt: session.closedAt!.toISOString(),
      minutes: this.view(minutes),
    };
  }

  /** A correction: a new document naming the last one; the earlier ones stay as they were. */
  async correct(actor: AuthUser, sessionId: string, correction: string) {
    const { session } = await this.sessions.requireConsole(actor, sessionId);
    if (session.status !== 'closed')
      throw sessionError('session.invalid', { variant: 'window', field: 'status' });
    return this.view(await this.write(actor, sessionId, correction));
  }

  async list(actor: AuthUser, sessionId: string) {
    await this.sessions.requireConsole(actor, sessionId);
    const rows = await this.minutes.find({ where: { sessionId }, order: { version: 'ASC' } });
    return rows.map((m) => this.view(m));
  }

  /** A version of the minutes (the latest by default), as stored. */
  async file(actor: AuthUser, sessionId: string, version?: number) {
    await this.sessions.requireConsole(actor, sessionId);
    const rows = await this.minutes.find({ where: { sessionId }, order: { version: 'DESC' } });
    const chosen = version === undefined ? rows[0] : rows.find((m) => m.version === version);
    if (!chosen) throw sessionError('session.not_found', { field: 'version' });
    const { content } = await this.files.read(chosen.fileKey);
    return {
      body: content,
      contentType: 'application/pdf',
      filename: `berita-acara-${sessionId.slice(0, 8)}-v${chosen.version}.pdf`,
      sha256: chosen.sha256,
    };
  }

  private view(m: SessionMinutes) {
    return {
      version: m.version,
      sha256: m.sha256,
      correctsId: m.correctsId,
      correction: m.correction,
      createdAt: m.createdAt.toISOString(),
      url: `/api/v1/sessions/${m.sessionId}/minutes?version=${m.version}`,
    };
  }

  private async write(actor: AuthUser, sessionId: string, correction: string | null) {
    const record = await this.sessions.record(actor, sessionId);
    const previous = await this.minutes.findOne({
      where: { sessionId },
      order: { version: 'DESC' },
    });
    const version = (previous?.version ?? 0) + 1;
    const now = this.clock.now();
    const pdf = await this.render(record, { version, previous, correction, now });
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const stored = await this.files.save(pdf, 'minutes', 'berita-acara.pdf');
    const row: SessionMinutes = {
      id: randomUUID(),
      sessionId,
      version,
      correctsId: previous?.id ?? null,
      correction,
      fileKey: stored.key,
      sha256,
      createdBy: actor.id,
      createdAt: now,
    };
    await this.transactions.run(async () => {
      await this.transactions.repository(SessionMinutes).insert(row);
      await this.audit.record({
        actor: { id: actor.id, role: actor.role },
        action: previous ? 'session.minutes_corrected' : 'session.minutes',
        entityType: 'exam_session',
        entityId: sessionId,
        detail: { version, sha256, correction },
      });
    });
    return row;
  }

  /** Tagged PDF/A-2b with embedded fonts: read aloud, kept by archives (issue 23). */
  private render(
    record: Awaited<ReturnType<SessionsService['record']>>,
    doc: { version: number; previous: SessionMinutes | null; correction: string | null; now: Date },
  ): Promise<Buffer> {
    const { session, assessment, rows, incidents, people } = record;
    const pdf = createTaggedPdf({
      title: `Berita Acara Ujian ${assessment.title}`,
      author: this.config.authority.agency,
    });
    const out = pdf.doc;
    const width = out.page.width - 96;
    const centred = { width, align: 'center' } as const;
    const zone = this.config.timeZone;
    const when = (d: Date | null | undefined) => (d ? formatDateTime(d, 'id', zone) : '-');
    const line = (text: string) => tag(pdf, 'P', () => out.text(text, { width }));

    tag(pdf, 'P', () => {
      out.font(FONT.bold).fontSize(13).text(this.config.authority.city.toUpperCase(), centred);
      out.font(FONT.regular).fontSize(10).text(this.config.authority.agency, centred);
    });
    tag(pdf, 'H1', () =>
      out
        .moveDown(0.8)
        .font(FONT.bold)
        .fontSize(14)
        .text('BERITA ACARA PELAKSANAAN UJIAN TERSUPERVISI', centred),
    );
    tag(pdf, 'P', () => out.font(FONT.regular).fontSize(9).text(`Versi ${doc.version}`, centred));
    if (doc.previous) {
      const previous = doc.previous;
      tag(pdf, 'P', () =>
        out
          .moveDown(0.4)
          .font(FONT.bold)
          .fontSize(10)
          .text(
            `Dokumen koreksi atas berita acara versi ${previous.version} (SHA-256 ${previous.sha256}).`,
            { width },
          ),
      );
      tag(pdf, 'P', () =>
        out.font(FONT.regular).text(`Koreksi: ${doc.correction ?? ''}`, { width }),
      );
    }
    out.moveDown(0.8).fontSize(10);
    for (const [label, value] of [
      ['Ujian', assessment.title],
      ['Tempat', session.location],
      ['Jadwal', `${when(session.startsAt)} s.d. ${when(session.endsAt)}`],
      ['Ditutup', when(session.closedAt)],
      ['Pengawas', record.proctors.join(', ') || '-'],
      ['Kapasitas', String(session.capacity)],
      [
        'Kehadiran',
        `${rows.filter((r) => r.attempt).length} hadir, ${rows.filter((r) => !r.attempt).length} tidak hadir/tidak mulai, dari ${rows.length} peserta`,
      ],
    ])
      line(`${label}: ${value}`);

    tag(pdf, 'H2', () => out.moveDown(0.8).font(FONT.bold).fontSize(11).text('Peserta', { width }));
    out.font(FONT.regular).fontSize(8.5);
    for (const r of rows) {
      const a = r.attempt;
      const result =
        record.showsScores && a && a.percent !== null && a.status !== 'voided'
          ? `${formatPercent(Number(a.percent), 'id')}${a.status === 'graded' ? (a.passed ? ' lulus' : ' tidak lulus') : ''}`
          : '-';
      line(
        `${r.seat}. ${r.name} (NIP ${maskNip(r.nip) ?? '-'}) | ${STATE_NAMES[r.state] ?? r.state}` +
          ` | mulai ${when(a?.startedAt)} | kumpul ${when(a?.submittedAt)} | nilai ${result}`,
      );
    }

    tag(pdf, 'H2', () =>
      out.moveDown(0.8).font(FONT.bold).fontSize(11).text('Kejadian', { width }),
    );
    out.font(FONT.regular).fontSize(8.5);
    if (!incidents.length) line('Tidak ada kejadian.');
    for (const i of incidents) {
      const who = i.userId ? (people.get(i.userId) ?? '') : 'sesi';
      const by = i.actorId ? (people.get(i.actorId) ?? '') : 'sistem';
      const minutes = i.minutes !== null ? ` (${i.minutes} menit)` : '';
      line(
        `${when(i.at)} | ${INCIDENT_NAMES[i.kind]}${minutes} | ${who} | oleh ${by} | alasan: ${i.reason}`,
      );
    }

    out.moveDown(1.5).font(FONT.regular).fontSize(10);
    line(`Dibuat ${when(doc.now)}.`);
    out.moveDown(1);
    const signers = [...record.proctors.map((n) => `Pengawas: ${n}`), 'Saksi:'];
    for (const signer of signers) {
      line(signer);
      // The line to sign on is for the pen, not for the ear.
      artifact(pdf, () => out.moveDown(1.6).text('( ______________________________ )', { width }));
      out.moveDown(0.8);
    }
    return pdf.finish();
  }
}
