import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { AssessmentRecords } from '../assessment/engine/assessment-records.js';
import { CompetenciesService } from '../competency/competencies.service.js';
import { CourseRecords } from '../learning/course-records.js';
import { AuditService } from '../platform/audit/audit.service.js';
import { AccessService } from '../platform/auth/access.service.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { Clock } from '../platform/clock.js';
import { errorFamily } from '../platform/http/domain-error.js';
import { EligibilityRuleRegistry } from '../registry/registries.js';
import type { LoadedSector } from '../registry/sector-loader.js';
import { LOADED_SECTORS } from '../registry/sectors.service.js';
import { CertificateEligibility } from './certificate-eligibility.js';
import { maskNip } from './certificate-format.js';
import { CertificateIssuer } from './certificate-issuer.js';
import type { CreateSchemeDto, UpdateSchemeDto } from './certification.dto.js';
import {
  CertificationScheme,
  DEFAULT_NUMBER_FORMAT,
  hasRealRequirement,
  type SchemeRequirements,
} from './certification.entity.js';
import { User } from '../identity/user.entity.js';
import { DELIVERY_MODES, type DeliveryMode } from '../learning/delivery-modes.js';

export const schemeError = errorFamily({
  'scheme.not_found': 'not_found',
  'scheme.invalid': 'invalid',
  'scheme.conflict': 'conflict',
  'scheme.no_requirement': 'refused',
  'scheme.activation': 'refused',
  'scheme.stale_confirm': 'conflict',
  'scheme.self': 'forbidden',
});

/** Days after issue of the behaviour questionnaires when a scheme sets none (ADR 0040). */
export const DEFAULT_EVALUATION_DAYS = 90;

/**
 * Cost, mode and evaluation days of a scheme edit (ADR 0040), checked here too: pages and
 * scheme packs reach the service without the DTO. Absent fields are left out; null clears.
 */
export function schemePlanningOf(input: {
  costIdr?: unknown;
  deliveryMode?: unknown;
  evaluationDays?: unknown;
}): Partial<Pick<CertificationScheme, 'costIdr' | 'deliveryMode' | 'evaluationDays'>> {
  const out: Partial<Pick<CertificationScheme, 'costIdr' | 'deliveryMode' | 'evaluationDays'>> = {};
  const { costIdr, deliveryMode, evaluationDays } = input;
  const whole = (n: unknown, min: number, max: number) =>
    Number.isInteger(n) && (n as number) >= min && (n as number) <= max;
  if (costIdr !== undefined) {
    if (costIdr !== null && !whole(costIdr, 0, 100_000_000))
      throw schemeError('scheme.invalid', { variant: 'costIdr', field: 'costIdr' });
    out.costIdr = costIdr as number | null;
  }
  if (deliveryMode !== undefined) {
    if (deliveryMode !== null && !DELIVERY_MODES.includes(deliveryMode as DeliveryMode))
      throw schemeError('scheme.invalid', { variant: 'deliveryMode', field: 'deliveryMode' });
    out.deliveryMode = deliveryMode as string | null;
  }
  if (evaluationDays !== undefined) {
    if (evaluationDays !== null && !whole(evaluationDays, 1, 730))
      throw schemeError('scheme.invalid', { variant: 'evaluationDays', field: 'evaluationDays' });
    out.evaluationDays = evaluationDays as number | null;
  }
  return out;
}

/** How many of those an activation would certify are named in the preview. */
const PREVIEW_NAMES = 100;

export const schemeView = (s: CertificationScheme) => ({
  id: s.id,
  sector: s.sector,
  code: s.code,
  title: s.title,
  description: s.description,
  targetPositions: s.targetPositions,
  requirements: s.requirements,
  attests: s.attests,
  validityMonths: s.validityMonths,
  renewal: s.renewal,
  requiresSupervision: !!s.requiresSupervision,
  costIdr: s.costIdr ?? null,
  deliveryMode: (s.deliveryMode ?? null) as DeliveryMode | null,
  evaluationDays: s.evaluationDays ?? DEFAULT_EVALUATION_DAYS,
  template: s.template,
  numberFormat: s.numberFormat,
  status: s.status,
  /** Whether it asks for something earned (ADR 0017): without it, it cannot be activated. */
  hasRequirement: hasRealRequirement(s.requirements),
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});
export type SchemeView = ReturnType<typeof schemeView>;

/** Certification schemes: written by the coordinators of their sector, read by everyone. */
@Injectable()
export class SchemesService {
  constructor(
    @InjectRepository(CertificationScheme)
    private readonly schemes: Repository<CertificationScheme>,
    private readonly courseRecords: CourseRecords,
    private readonly assessmentRecords: AssessmentRecords,
    private readonly competencies: CompetenciesService,
    @Inject(LOADED_SECTORS) private readonly sectors: LoadedSector[],
    private readonly rules: EligibilityRuleRegistry,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly eligibility: CertificateEligibility,
    private readonly issuer: CertificateIssuer,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  async create(actor: AuthUser, input: CreateSchemeDto): Promise<SchemeView> {
    if (!this.sectors.some((s) => s.manifest.key === input.sector))
      throw schemeError('scheme.invalid', {
        variant: 'sector',
        field: 'sector',
        params: { sector: input.sector },
      });
    this.access.requireSector(actor, input.sector);
    if (await this.schemes.existsBy({ code: input.code }))
      throw schemeError('scheme.conflict', {
        variant: 'code',
        field: 'code',
        params: { code: input.code },
      });
    const now = this.clock.now();
    const scheme = this.schemes.create({
      sector: input.sector,
      code: input.code,
      title: input.title,
      description: '',
      targetPositions: [],
      requirements: { courses: [], assessments: [], approval: false, rules: [] },
      attests: [],
      validityMonths: null,
      renewal: null,
      requiresSupervision: false,
      costIdr: null,
      deliveryMode: null,
      evaluationDays: null,
      template: 'certificates/default',
      numberFormat: DEFAULT_NUMBER_FORMAT,
      // Always a draft: it certifies nobody until activated with its preview (ADR 0017).
      status: 'draft',
      createdAt: now,
      updatedAt: now,
    });
    await this.apply(actor, scheme, input);
    await this.schemes.insert(scheme);
    await this.audit.record({
      actor,
      action: 'scheme.create',
      entityType: 'certification_scheme',
      entityId: scheme.id,
      detail: { code: scheme.code },
    });
    return schemeView(scheme);
  }

  async update(actor: AuthUser, id: string, input: UpdateSchemeDto): Promise<SchemeView> {
    const scheme = await this.requireManaged(actor, id);
    const wasActive = scheme.status === 'active';
    const wasSupervised = !!scheme.requiresSupervision;
    await this.apply(actor, scheme, input);
    // Changing who it certifies goes through a new activation and its preview (ADR 0017).
    const reverted =
      wasActive &&
      (input.requirements !== undefined ||
        input.targetPositions !== undefined ||
        (input.requiresSupervision !== undefined && input.requiresSupervision !== wasSupervised));
    if (reverted) scheme.status = 'draft';
    scheme.updatedAt = this.clock.now();
    await this.schemes.save(scheme);
    await this.audit.record({
      actor,
      action: 'scheme.update',
      entityType: 'certification_scheme',
      entityId: scheme.id,
      detail: { changed: Object.keys(input), ...(reverted && { status: 'draft' }) },
    });
    return schemeView(scheme);
  }

  /**
   * Who activating the scheme would certify at once: their number (what `activate` must be
   * given as `confirm`) and the first of them by name, with the NIP masked. The caller manages
   * the scheme's sector; those listed are the ones whose certificates they will see after.
   */
  async activationPreview(actor: AuthUser, id: string) {
    const scheme = await this.requireManaged(actor, id);
    const eligible = await this.eligibility.eligibleNow(scheme);
    const named = eligible.length
      ? await this.users.find({
          where: { id: In(eligible.slice(0, PREVIEW_NAMES)) },
          order: { name: 'ASC' },
        })
      : [];
    return {
      schemeId: scheme.id,
      status: scheme.status,
      hasRequirement: hasRealRequirement(scheme.requirements),
      count: eligible.length,
      includesYou: eligible.includes(actor.id),
      people: named.map((u) => ({ id: u.id, name: u.name, nip: maskNip(u.nip) })),
    };
  }

  /**
   * Activates a draft: refused without a real requirement (422 naming `requirements`), for a
   * caller it would certify (403: another admin activates), and unless `confirm` is the number
   * the preview shows now (409 with the new number). Issues at once to those counted.
   */
  async activate(actor: AuthUser, id: string, confirm: number) {
    const scheme = await this.requireManaged(actor, id);
    if (scheme.status === 'active')
      throw schemeError('scheme.conflict', { variant: 'active', field: 'status' });
    if (!hasRealRequirement(scheme.requirements))
      throw schemeError('scheme.no_requirement', { field: 'requirements' });
    const eligible = await this.eligibility.eligibleNow(scheme);
    if (eligible.includes(actor.id)) throw schemeError('scheme.self');
    if (eligible.length !== confirm)
      throw schemeError('scheme.stale_confirm', {
        field: 'confirm',
        params: { count: eligible.length, confirm },
        details: { count: eligible.length },
      });
    // Only a draft turns active: two activations at once issue under one of them.
    const now = this.clock.now();
    const result = await this.schemes.update(
      { id: scheme.id, status: scheme.status },
      { status: 'active', updatedAt: now },
    );
    if (!result.affected) throw schemeError('scheme.conflict', { field: 'status' });
    scheme.status = 'active';
    scheme.updatedAt = now;
    await this.audit.record({
      actor,
      action: 'scheme.activate',
      entityType: 'certification_scheme',
      entityId: scheme.id,
      detail: { code: scheme.code, confirmed: confirm },
    });
    const issued = await this.issuer.issueOnActivation(scheme, eligible);
    return { scheme: schemeView(scheme), issued };
  }

  async list(sector?: string): Promise<SchemeView[]> {
    const rows = await this.schemes.find({
      where: sector ? { sector } : {},
      order: { code: 'ASC' },
    });
    return rows.map(schemeView);
  }

  async get(id: string): Promise<SchemeView> {
    const scheme = await this.schemes.findOneBy({ id });
    if (!scheme) throw schemeError('scheme.not_found');
    return schemeView(scheme);
  }

  async requireManaged(caller: AuthUser, id: string): Promise<CertificationScheme> {
    const scheme = await this.schemes.findOneBy({ id });
    if (!scheme) throw schemeError('scheme.not_found');
    this.access.requireSector(caller, scheme.sector);
    return scheme;
  }

  /**
   * Copies the input after checking what a DTO cannot: that everything named exists, and
   * that the actor may attest what the scheme attests (ADR 0012). The check covers the
   * attests the scheme keeps as well as new ones: a coordinator cannot change the rules of a
   * scheme that vouches for a national competency, which only an admin may set.
   */
  private async apply(
    actor: AuthUser,
    scheme: CertificationScheme,
    input: UpdateSchemeDto,
  ): Promise<void> {
    // First: a refused cost, mode or period changes nothing.
    const planning = schemePlanningOf(input);
    const requirements = input.requirements;
    if (requirements) {
      const codes = requirements.courses ?? [];
      const known = await this.courseRecords.knownCodes(codes, scheme.sector);
      const missingCourses = codes.filter((c) => !known.has(c));
      if (missingCourses.length)
        throw schemeError('scheme.invalid', {
          variant: 'courses',
          field: 'requirements.courses',
          params: { codes: missingCourses.join(', ') },
        });
      const ids = (requirements.assessments ?? []).map((a) => a.assessmentId);
      const found = await this.assessmentRecords.knownAssessments(ids, scheme.sector);
      if (found.size !== new Set(ids).size)
        throw schemeError('scheme.invalid', {
          variant: 'assessments',
          field: 'requirements.assessments',
        });
      for (const rule of requirements.rules ?? [])
        if (!this.rules.get(rule.key))
          throw schemeError('scheme.invalid', {
            variant: 'rule',
            field: 'requirements.rules',
            params: {
              rule: rule.key,
              known: this.rules
                .list()
                .map((r) => r.key)
                .join(', '),
            },
          });
      scheme.requirements = {
        courses: [...new Set(codes)],
        assessments: requirements.assessments ?? [],
        approval: requirements.approval ?? false,
        rules: (requirements.rules ?? []) as SchemeRequirements['rules'],
      };
    }
    // Checked on every write, the attests a record keeps too (ADR 0012).
    await this.competencies.requireAttestable(
      actor,
      scheme.sector,
      input.attests ?? scheme.attests,
    );
    if (input.attests)
      scheme.attests = input.attests.map((a) => ({
        competencyCode: a.competencyCode,
        level: a.level,
      }));
    if (input.status === 'active' && scheme.status !== 'active')
      throw schemeError('scheme.activation', { field: 'status' });
    if (input.renewal && !input.renewal.courseCode && !input.renewal.assessmentId)
      throw schemeError('scheme.invalid', { variant: 'renewal', field: 'renewal' });
    Object.assign(scheme, {
      ...(input.title !== undefined && { title: input.title }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.targetPositions !== undefined && { targetPositions: input.targetPositions }),
      ...(input.validityMonths !== undefined && { validityMonths: input.validityMonths }),
      ...(input.renewal !== undefined && { renewal: input.renewal }),
      ...(input.requiresSupervision !== undefined && {
        requiresSupervision: input.requiresSupervision,
      }),
      ...(input.template !== undefined && { template: input.template }),
      ...(input.numberFormat !== undefined && { numberFormat: input.numberFormat }),
      ...(input.status !== undefined && { status: input.status }),
      ...planning,
    });
  }
}
