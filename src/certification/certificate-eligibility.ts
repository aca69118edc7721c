import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { AssessmentRecords } from '../assessment/engine/assessment-records.js';
import { PositionsService } from '../competency/positions.service.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { User } from '../identity/user.entity.js';
import { CourseRecords } from '../learning/course-records.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Clock } from '../platform/clock.js';
import { formatDate, formatTime } from '../platform/i18n/local-format.js';
import { EligibilityRuleRegistry } from '../registry/registries.js';
import { SectorsService } from '../registry/sectors.service.js';
import {
  Certificate,
  CertificationScheme,
  hasRealRequirement,
  SchemeApproval,
} from './certification.entity.js';
import {
  certificateView,
  effectiveStatus,
  type RequirementStatus,
  type SchemeState,
  numberText,
} from './certificate-format.js';
import {
  assessmentRequirementStanding,
  nextCatchUp,
  renewalActivitySpan,
  renewalPhase,
  renewalWindow,
  requalifySince,
} from './eligibility.js';

/**
 * Who is owed what: each requirement of a scheme and whether a user meets it, where they
 * stand (the scheme page's explanation), and whether a first certificate or a renewal is
 * owed now. Reads only; issuing is `CertificateIssuer`'s.
 */
@Injectable()
export class CertificateEligibility {
  constructor(
    @InjectRepository(Certificate) private readonly certificates: Repository<Certificate>,
    @InjectRepository(CertificationScheme)
    private readonly schemes: Repository<CertificationScheme>,
    @InjectRepository(SchemeApproval) private readonly approvals: Repository<SchemeApproval>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly assessmentRecords: AssessmentRecords,
    private readonly courseRecords: CourseRecords,
    private readonly positions: PositionsService,
    private readonly sectors: SectorsService,
    private readonly rules: EligibilityRuleRegistry,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** What `evaluate` would issue for one scheme: null, or the certificate it renews (if any). */
  async owed(
    scheme: CertificationScheme,
    userId: string,
  ): Promise<{ renews: Certificate | null } | null> {
    const held = await this.latest(scheme.id, userId);
    if (!held)
      return (await this.progressOf(scheme, userId)).every((r) => r.met) ? { renews: null } : null;
    // Re-issuing after a revocation is a decision, not automatic; a renewed one has a successor.
    if (held.status !== 'active' && held.status !== 'expired') return null;
    if (await this.renewalActivityDone(scheme, held, userId)) return { renews: held };
    const since = requalifySince(held, this.clock.now());
    if (since && (await this.progressOf(scheme, userId, since)).every((r) => r.met))
      return { renews: held };
    return null;
  }

  /**
   * What each requirement of a scheme needs, and whether the user has it; with `since`, only
   * courses, passes and approvals from that time on count (certifying again after a lapse).
   */
  async progressOf(
    scheme: CertificationScheme,
    userId: string,
    since?: Date,
  ): Promise<RequirementStatus[]> {
    const out: RequirementStatus[] = [];
    if (scheme.targetPositions.length) {
      const user = await this.users.findOne({
        where: { id: userId },
        relations: { position: true },
      });
      const known = (await this.positions.refs()).filter((p) =>
        scheme.targetPositions.includes(p.code),
      );
      const targets = scheme.targetPositions.map((code) => ({
        code,
        name: known.find((p) => p.code === code)?.name ?? code,
      }));
      const yours = user?.position ? { code: user.position.code, name: user.position.name } : null;
      const met = !!yours && scheme.targetPositions.includes(yours.code);
      const names = targets.map((p) => `${p.name} (${p.code})`).join(', ');
      out.push({
        kind: 'position',
        label: `Jabatan: ${names}`,
        met,
        detail: met
          ? undefined
          : yours
            ? `jabatan Anda ${yours.name} (${yours.code}) tidak termasuk sasaran skema ini`
            : 'jabatan Anda belum diisi',
        position: { yours, targets },
      });
    }
    for (const code of scheme.requirements.courses) {
      const done = await this.courseRecords.completed(userId, code, since);
      const title = await this.courseRecords.titleOf(code);
      out.push({ kind: 'course', label: `Pelatihan: ${title ?? code}`, met: done });
    }
    const supervised = !!scheme.requiresSupervision;
    for (const requirement of scheme.requirements.assessments) {
      // A scheme requiring supervision counts only the attempts sat in a supervised session.
      const { best, met, uncounted } = assessmentRequirementStanding(
        await this.assessmentRecords.gradedAttempts(userId, requirement.assessmentId, since),
        requirement.minPercent,
        supervised,
      );
      // The best percent is said only where the assessment's review shows scores now: under
      // a policy that shows nothing, only whether the requirement is met (ADR 0020).
      const shown =
        best !== null && (await this.assessmentRecords.showsScores(requirement.assessmentId));
      out.push({
        kind: 'assessment',
        label: supervised
          ? `Ujian tersupervisi (minimal ${requirement.minPercent}%)`
          : `Ujian (minimal ${requirement.minPercent}%)`,
        met,
        detail: shown
          ? `${best}%`
          : !met && uncounted
            ? 'percobaan di luar sesi ujian tersupervisi tidak dihitung: ikuti ujian di sesi tersupervisi'
            : undefined,
      });
    }
    if (scheme.requirements.approval) {
      const approval = await this.approvals.findOneBy({ schemeId: scheme.id, userId });
      const current = approval && !(since && approval.decidedAt && approval.decidedAt < since);
      const status = current ? approval.status : 'none';
      out.push({
        kind: 'approval',
        label: 'Uji praktik disetujui asesor',
        // A self-approval (recorded before ADR 0012 closed that door) proves nothing.
        met: status === 'approved' && approval!.decidedBy !== userId,
        detail:
          status === 'rejected'
            ? `Ditolak: ${approval!.reason ?? ''}`
            : status === 'approved'
              ? undefined
              : 'menunggu keputusan asesor setelah syarat lain terpenuhi',
        approval: status,
      });
    }
    for (const rule of scheme.requirements.rules) {
      const registered = this.rules.get(rule.key);
      const result = registered
        ? await registered.evaluate({ userId, schemeKey: scheme.code, params: rule.params ?? {} })
        : { met: false, detail: 'aturan tidak terpasang' };
      out.push({
        kind: 'rule',
        label: registered?.label.id ?? rule.key,
        met: result.met,
        detail: result.detail,
      });
    }
    return out;
  }

  /**
   * Active schemes of enabled sectors, with the caller's progress toward each and where they
   * stand (see {@link SchemeState}): which requirement is missing, a position that does not
   * match (both named), an approval awaited, when an automatic issue or a renewal is due.
   */
  async schemeProgress(caller: AuthUser) {
    const out = [];
    const now = this.clock.now();
    for (const scheme of await this.activeSchemes()) {
      const requirements = await this.progressOf(scheme, caller.id);
      const held = await this.latest(scheme.id, caller.id);
      out.push({
        id: scheme.id,
        code: scheme.code,
        title: scheme.title,
        sector: scheme.sector,
        requirements,
        met: requirements.every((r) => r.met),
        certificate: held ? certificateView(held, now) : null,
        ...(await this.standing(scheme, requirements, held, caller.id, now)),
      });
    }
    return out;
  }

  private async standing(
    scheme: CertificationScheme,
    requirements: RequirementStatus[],
    held: Certificate | null,
    userId: string,
    now: Date,
  ): Promise<{
    state: SchemeState;
    explanation: string;
    missing: string[];
    issuance: 'automatic' | 'after_approval';
    expectedAt: string | null;
    renewal: { opensAt: string; closesAt: string; activity: string } | null;
  }> {
    const issuance = scheme.requirements.approval ? 'after_approval' : 'automatic';
    const activity = scheme.renewal?.assessmentId
      ? 'lulus ujian perpanjangan'
      : scheme.renewal?.courseCode
        ? `menyelesaikan pelatihan ${scheme.renewal.courseCode}`
        : '';
    // The explanations are Indonesian sentences: days and times as the city reads them.
    const day = (d: Date) => formatDate(d, 'id', this.config.timeZone);
    const latest = formatTime(nextCatchUp(now), 'id', this.config.timeZone);
    const base = { issuance, missing: [] as string[], expectedAt: null, renewal: null } as const;
    if (held && held.status !== 'renewed') {
      const status = effectiveStatus(held, now);
      if (status === 'revoked')
        return {
          ...base,
          state: 'revoked',
          explanation: `Sertifikat ${numberText(held)} dicabut; penerbitan ulang diputuskan oleh pengelola sektor.`,
        };
      const window = renewalWindow(held, scheme.renewal);
      const renewal = window
        ? {
            opensAt: window.opensAt.toISOString(),
            closesAt: window.closesAt.toISOString(),
            activity,
          }
        : null;
      const owed = await this.owed(scheme, userId);
      if (owed)
        return {
          ...base,
          renewal,
          state: 'eligible',
          expectedAt: nextCatchUp(now).toISOString(),
          explanation: `Syarat perpanjangan terpenuhi; sertifikat pengganti terbit otomatis paling lambat pukul ${latest}, atau sekarang dengan "Periksa kelayakan sekarang".`,
        };
      const phase = renewalPhase(held, scheme.renewal, now);
      if (phase === 'open')
        return {
          ...base,
          renewal,
          state: 'renewal_open',
          missing: [activity],
          explanation: `Masa perpanjangan terbuka sampai ${day(window!.closesAt)}: perpanjang dengan ${activity}. Sertifikat pengganti terbit otomatis sesudahnya.`,
        };
      if (status === 'active')
        return {
          ...base,
          renewal,
          state: 'certified',
          explanation: held.expiresAt
            ? `Sertifikat ${numberText(held)} berlaku sampai ${day(held.expiresAt)}.${window ? ` Perpanjangan dibuka ${day(window.opensAt)} dengan ${activity}.` : ''}`
            : `Sertifikat ${numberText(held)} berlaku tanpa batas waktu.`,
        };
      // Expired and the window closed: the requirements again, from the expiry on.
      const since = requalifySince(held, now)!;
      const again = await this.progressOf(scheme, userId, since);
      return {
        ...base,
        renewal,
        state: 'expired',
        missing: again.filter((r) => !r.met).map((r) => r.label),
        explanation: `Sertifikat ${numberText(held)} berakhir ${day(held.expiresAt!)} dan masa perpanjangan sudah lewat: penuhi lagi syarat skema (kegiatan sesudah ${day(since)}).`,
      };
    }
    const position = requirements.find((r) => r.kind === 'position' && !r.met);
    const missing = requirements.filter((r) => !r.met).map((r) => r.label);
    if (position) {
      const { yours, targets } = position.position!;
      const wanted = targets.map((p) => `${p.name} (${p.code})`).join(', ');
      return {
        ...base,
        missing,
        state: 'position_mismatch',
        explanation: yours
          ? `Jabatan Anda ${yours.name} (kode ${yours.code}) tidak termasuk sasaran skema ini: ${wanted}. Bila jabatan Anda sebenarnya salah satunya, minta admin BKPSDM memperbaiki data jabatan Anda; sertifikat terbit otomatis begitu data diperbaiki dan syarat lain terpenuhi.`
          : `Jabatan Anda belum tercatat; skema ini untuk ${wanted}. Minta admin BKPSDM mengisi jabatan Anda.`,
      };
    }
    const others = requirements.filter((r) => r.kind !== 'approval' && !r.met);
    const approval = requirements.find((r) => r.kind === 'approval' && !r.met);
    if (others.length)
      return {
        ...base,
        missing,
        state: 'missing',
        explanation: `Belum terpenuhi: ${others.map((r) => r.label + (r.detail ? ` (${r.detail})` : '')).join('; ')}.${approval ? ' Sesudah itu, uji praktik dinilai asesor.' : ''}`,
      };
    if (approval)
      return {
        ...base,
        missing,
        state: 'waiting_approval',
        explanation:
          approval.approval === 'rejected'
            ? `Uji praktik ditolak asesor: ${approval.detail?.replace(/^Ditolak: /, '') ?? ''}. Hubungi asesor sektor untuk uji ulang.`
            : 'Semua syarat lain terpenuhi; menunggu keputusan asesor atas uji praktik Anda. Sertifikat terbit otomatis begitu disetujui.',
      };
    return {
      ...base,
      state: 'eligible',
      expectedAt: nextCatchUp(now).toISOString(),
      explanation: `Semua syarat terpenuhi; sertifikat terbit otomatis paling lambat pukul ${latest}, atau sekarang dengan "Periksa kelayakan sekarang".`,
    };
  }

  /**
   * Whether the scheme's renewal activity (its refresher course or exam) was done inside the
   * renewal window and after `held` was issued (see {@link renewalActivitySpan}).
   */
  private async renewalActivityDone(
    scheme: CertificationScheme,
    held: Certificate,
    userId: string,
  ): Promise<boolean> {
    const rule = scheme.renewal;
    const span = renewalActivitySpan(held, rule);
    if (!rule || !span) return false;
    if (rule.courseCode) {
      const done = await this.courseRecords.completed(
        userId,
        rule.courseCode,
        span.after,
        span.until,
      );
      if (done) return true;
    }
    if (rule.assessmentId)
      return this.assessmentRecords.passedBetween(
        userId,
        rule.assessmentId,
        span.after,
        span.until,
      );
    return false;
  }

  /** Active schemes of enabled sectors; one that somehow lost its requirements is skipped. */
  async activeSchemes(): Promise<CertificationScheme[]> {
    const enabled = await this.sectors.enabledKeys();
    const rows = await this.schemes.find({
      where: { status: 'active', sector: In(enabled.length ? enabled : ['-']) },
      order: { code: 'ASC' },
    });
    return rows.filter((s) => hasRealRequirement(s.requirements));
  }

  /**
   * Who activating `scheme` would certify at once: everyone who meets all its requirements
   * now and holds none of its certificates (as {@link evaluate} would decide). The candidates
   * are narrowed by the first requirement that names records (a course's completions, an
   * assessment's graded attempts, the scheme's approvals); a scheme of rules alone reads every
   * account. Nobody, for a scheme without a real requirement or of a disabled sector.
   */
  async eligibleNow(scheme: CertificationScheme): Promise<string[]> {
    if (!hasRealRequirement(scheme.requirements)) return [];
    if (!(await this.sectors.enabledKeys()).includes(scheme.sector)) return [];
    const r = scheme.requirements;
    let candidates: string[];
    if (r.courses.length) candidates = await this.courseRecords.completers([r.courses[0]]);
    else if (r.assessments.length)
      candidates = await this.assessmentRecords.gradedUsers(r.assessments[0].assessmentId);
    else if (r.approval)
      candidates = (
        await this.approvals.find({
          select: { userId: true },
          where: { schemeId: scheme.id, status: 'approved' },
        })
      ).map((a) => a.userId);
    else candidates = (await this.users.find({ select: { id: true } })).map((u) => u.id);
    const out: string[] = [];
    for (const userId of [...new Set(candidates)].sort())
      if (await this.owed(scheme, userId)) out.push(userId);
    return out;
  }

  latest(schemeId: string, userId: string): Promise<Certificate | null> {
    return this.certificates.findOne({ where: { schemeId, userId }, order: { issuedAt: 'DESC' } });
  }
}
