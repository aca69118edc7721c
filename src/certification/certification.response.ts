import { ApiProperty } from '@nestjs/swagger';
import { DELIVERY_MODES, type DeliveryMode } from '../learning/delivery-modes.js';

export class AssessmentRequirementResponse {
  assessmentId: string;
  minPercent: number;
}

export class RuleRequirementResponse {
  key: string;
  params?: Record<string, string | number | boolean>;
}

export class SchemeRequirementsResponse {
  /** Course codes to complete (any version). */
  courses: string[];
  /** Assessments to pass, each with a minimum percent. */
  assessments: AssessmentRequirementResponse[];
  /** A practical assessment approved by an assessor of the sector. */
  approval: boolean;
  /** Extra rules from the eligibility-rule registry. */
  rules: RuleRequirementResponse[];
}

export class SchemeAttestResponse {
  competencyCode: string;
  level: number;
}

export class RenewalRuleResponse {
  courseCode?: string;
  assessmentId?: string;
  windowDays: number;
}

export class SchemeResponse {
  id: string;
  sector: string;
  code: string;
  title: string;
  description: string;
  targetPositions: string[];
  requirements: SchemeRequirementsResponse;
  attests: SchemeAttestResponse[];
  validityMonths: number | null;
  renewal: RenewalRuleResponse | null;
  /** Only passes sat in a supervised exam session count toward its assessments. */
  requiresSupervision: boolean;
  /** Estimated cost per participant in whole rupiah (ADR 0040); null: unknown. */
  costIdr: number | null;
  /** How it is delivered; null: not said. */
  @ApiProperty({ enum: DELIVERY_MODES, nullable: true, type: String })
  deliveryMode: DeliveryMode | null;
  /** Days after issue when holder and supervisor rate the competence at work (null in the record: 90). */
  evaluationDays: number;
  template: string;
  numberFormat: string;
  status: 'draft' | 'active' | 'retired';
  /** Whether it asks for something earned (ADR 0017): without it, it cannot be activated. */
  hasRequirement: boolean;
  createdAt: string;
  updatedAt: string;
}

export class PersonRefResponse {
  id: string;
  name: string;
  nip: string | null;
}

export class ActivationPreviewResponse {
  schemeId: string;
  status: 'draft' | 'active' | 'retired';
  hasRequirement: boolean;
  count: number;
  includesYou: boolean;
  people: PersonRefResponse[];
}

export class SchemeActivationResponse {
  scheme: SchemeResponse;
  issued: number;
}

export class ApprovalRequestResponse {
  schemeId: string;
  schemeCode: string;
  schemeTitle: string;
  userId: string;
  name: string;
  nip: string | null;
}

export class CertificateCompetencyResponse {
  code: string;
  title: string;
  level: number;
}

export class CertificateResponse {
  id: string;
  number: string;
  code: string;
  status: 'active' | 'expired' | 'revoked' | 'renewed';
  schemeId: string;
  scheme: string;
  schemeCode: string;
  sector: string;
  holderName: string;
  holderNip: string | null;
  issuedAt: string;
  expiresAt: string | null;
  competencies: CertificateCompetencyResponse[];
  renewsId: string | null;
  renewedById: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
}

export class PendingCertificateResponse {
  id: string;
  /** The scheme's code. */
  scheme: string;
  userId: string;
  holderName: string;
  issuedAt: string;
}

export class PendingEvaluationResponse {
  userId: string;
  name: string;
  nip: string | null;
  tries: number;
  firstFailedAt: string;
  lastFailedAt: string;
}

export class CertificatesPendingResponse {
  /** Issued, waiting for their number (numbered within a minute by the numbering job). */
  unnumbered: PendingCertificateResponse[];
  /** Users whose scheme evaluation failed, evaluated again every minute (admins only). */
  evaluations: PendingEvaluationResponse[];
}

export class ApprovalDecisionResponse {
  decidedAt: string;
  issued: CertificateResponse[];
  status: 'approved' | 'rejected';
  notes: string;
  reason: string | null;
  decidedBy: string;
  schemeId: string;
  userId: string;
}

export class RenewalWindowResponse {
  opensAt: string;
  closesAt: string;
  activity: string;
}

export class PositionRefResponse {
  code: string;
  name: string;
}

export class RequirementStatusPositionResponse {
  yours: PositionRefResponse | null;
  targets: PositionRefResponse[];
}

export class RequirementStatusResponse {
  kind: 'position' | 'course' | 'assessment' | 'approval' | 'rule';
  label: string;
  met: boolean;
  detail?: string;
  /** For `position`: the caller's position and the scheme's targets, codes and names. */
  position?: RequirementStatusPositionResponse;
  /** For `approval`: the assessor's decision so far. */
  approval?: 'pending' | 'approved' | 'rejected' | 'none';
}

export class SchemeProgressResponse {
  state:
    | 'expired'
    | 'revoked'
    | 'certified'
    | 'renewal_open'
    | 'position_mismatch'
    | 'missing'
    | 'waiting_approval'
    | 'eligible';
  explanation: string;
  missing: string[];
  issuance: 'automatic' | 'after_approval';
  expectedAt: string | null;
  renewal: RenewalWindowResponse | null;
  id: string;
  code: string;
  title: string;
  sector: string;
  requirements: RequirementStatusResponse[];
  met: boolean;
  certificate: CertificateResponse | null;
}

export class SchemeCheckResponse {
  issued: CertificateResponse[];
  schemes: SchemeProgressResponse[];
}

export class VerifyCertificateRenewedByResponse {
  number: string;
  /** Absent when the lookup was by number: a code is the holder's to hand out. */
  code?: string;
}

export class VerifyCertificateRevocationResponse {
  category: string;
  label: string;
}

/** A supervised exam session a certificate's exam was passed in: its time and place. */
export class VerifySupervisionSessionResponse {
  startsAt: string;
  endsAt: string;
  /** The session's day in the city's zone (TIME_ZONE, WIB by default), `YYYY-MM-DD`. */
  date: string;
  /** The same day as Indonesian documents write it (`4 Desember 2026`). */
  dateText: string;
  location: string;
}

/**
 * The exam a certificate rests on was sat under supervision (ujian tersupervisi): present when
 * the scheme requires it or a counted pass was sat in a session.
 */
export class VerifySupervisionResponse {
  /** A counted pass was sat in a supervised session (listed in `sessions`). */
  supervised: boolean;
  /** The scheme requires its assessments to be passed in a supervised session. */
  required: boolean;
  /** `Ujian tersupervisi`. */
  label: string;
  /** One line: `Ujian tersupervisi, 4 Desember 2026, di Aula BKPSDM`. */
  text: string;
  sessions: VerifySupervisionSessionResponse[];
}

export class VerifyCertificateResponse {
  supervision?: VerifySupervisionResponse;
  renewedBy?: VerifyCertificateRenewedByResponse;
  revokedAt?: string;
  revocation?: VerifyCertificateRevocationResponse;
  number: string;
  holderName: string;
  nipMasked: string | null;
  scheme: string;
  sector: string;
  issuedAt: string;
  expiresAt: string | null;
  competencies: CertificateCompetencyResponse[];
}

export class VerifyCurrentResponse {
  number: string;
  /** Absent when the lookup was by number: a code is the holder's to hand out. */
  code?: string;
  status: 'active' | 'expired' | 'revoked' | 'renewed' | null;
  valid: boolean;
  issuedAt: string;
  expiresAt: string | null;
}

export class VerifyResponse {
  certificate: VerifyCertificateResponse;
  holderCertified?: boolean;
  current?: VerifyCurrentResponse;
  valid: boolean;
  status: 'active' | 'expired' | 'revoked' | 'renewed';
}

/** A public key of the issuer (RFC 7517): Ed25519 as an OKP key. */
export class JwkResponse {
  kty?: string;
  crv?: string;
  /** The public key, base64url. */
  x?: string;
  kid?: string;
  alg?: string;
  use?: string;
}

/** The issuer key set that verifies credentials and status lists. */
export class JwksResponse {
  keys: JwkResponse[];
}
