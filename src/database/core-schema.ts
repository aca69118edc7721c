import { Type } from '@nestjs/common';
import { SectorState } from '../registry/sector-state.entity.js';
import { JobLease } from '../platform/scheduler/job-lease.entity.js';
import { User } from '../identity/user.entity.js';
import { RefreshToken } from '../platform/auth/refresh-token.entity.js';
import { PasswordResetToken } from '../platform/auth/password-reset-token.entity.js';
import { AuditEntry } from '../platform/audit/audit-entry.entity.js';
import { Foundation1764201600000 } from './migrations/1764201600000-foundation.js';
import { OrgUnits1764288000000 } from './migrations/1764288000000-org-units.js';
import { OrgUnit } from '../identity/org-unit.entity.js';
import { Competency } from '../competency/competency.entity.js';
import { Evidence } from '../competency/evidence.entity.js';
import { Position, PositionRequirement } from '../competency/position.entity.js';
import { Competency1764374400000 } from './migrations/1764374400000-competency.js';
import { Learning1764460800000 } from './migrations/1764460800000-learning.js';
import { QuestionBanks1764547200000 } from './migrations/1764547200000-question-banks.js';
import {
  Question,
  QuestionBank,
  QuestionCategory,
  QuestionVersion,
} from '../assessment/banks/question-bank.entity.js';
import { Assessments1764633600000 } from './migrations/1764633600000-assessments.js';
import {
  AnswerTrailEntry,
  Assessment,
  Attempt,
  AttemptItem,
} from '../assessment/engine/assessment.entity.js';
import { Notifications1764720000000 } from './migrations/1764720000000-notifications.js';
import { Notification } from '../platform/notifications/notification.entity.js';
import { Certification1764806400000 } from './migrations/1764806400000-certification.js';
import {
  Certificate,
  CertificateEvaluationPending,
  CertificateSequence,
  CertificationScheme,
  OutboxMail,
  SchemeApproval,
  StatusListCounter,
} from '../certification/certification.entity.js';
import { CredentialStatus1765411200000 } from './migrations/1765411200000-credential-status.js';
import { Content1764892800000 } from './migrations/1764892800000-content.js';
import { StudyEvidence1765152000000 } from './migrations/1765152000000-study-evidence.js';
import { SessionVersion1765497600000 } from './migrations/1765497600000-session-version.js';
import { JpOncePerCourse1765670400000 } from './migrations/1765670400000-jp-once-per-course.js';
import { EvidenceEnds1765756800000 } from './migrations/1765756800000-evidence-ends.js';
import { GradeOverrides1765843200000 } from './migrations/1765843200000-grade-overrides.js';
import { ExamSessions1766275200000 } from './migrations/1766275200000-exam-sessions.js';
import { OneSetOfPositions1766793600000 } from './migrations/1766793600000-one-set-of-positions.js';
import { QuestionIdnumbers1766820000000 } from './migrations/1766820000000-question-idnumbers.js';
import { SchemeSupervision1766361600000 } from './migrations/1766361600000-scheme-supervision.js';
import { PasswordReset1766620800000 } from './migrations/1766620800000-password-reset.js';
import { QuestionFiles1766800000034 } from './migrations/1766800000034-question-files.js';
import { DevelopmentPlans1766900000000 } from './migrations/1766900000000-development-plans.js';
import { DevelopmentReportIndexes1766900000001 } from './migrations/1766900000001-development-report-indexes.js';
import { CertificateNumbering1767000000000 } from './migrations/1767000000000-certificate-numbering.js';
import {
  DevelopmentPlan,
  DevelopmentPlanItem,
  Evaluation,
  EvaluationResponse,
  OrgUnitBudget,
  ProgrammeIndicator,
} from '../development/development.entity.js';
import { QuestionFile } from '../assessment/banks/question-file.entity.js';
import {
  ExamSession,
  SessionCandidate,
  SessionIncident,
  SessionMinutes,
  SessionProctor,
} from '../assessment/sessions/session.entity.js';
import { ContentItem, ContentSync } from '../content/content.entity.js';
import { Course, Lesson } from '../learning/course.entity.js';
import { Enrollment, JpCredit, LessonProgress } from '../learning/enrollment.entity.js';

/** Every entity of the core; sector entities are added from their manifests. */
export const CORE_ENTITIES: Type[] = [
  SectorState,
  JobLease,
  OrgUnit,
  User,
  RefreshToken,
  PasswordResetToken,
  AuditEntry,
  Competency,
  Position,
  PositionRequirement,
  Evidence,
  Course,
  Lesson,
  Enrollment,
  LessonProgress,
  JpCredit,
  QuestionBank,
  QuestionCategory,
  Question,
  QuestionVersion,
  QuestionFile,
  Assessment,
  Attempt,
  AttemptItem,
  AnswerTrailEntry,
  ExamSession,
  SessionProctor,
  SessionCandidate,
  SessionIncident,
  SessionMinutes,
  Notification,
  CertificationScheme,
  Certificate,
  CertificateSequence,
  CertificateEvaluationPending,
  StatusListCounter,
  SchemeApproval,
  OutboxMail,
  ContentItem,
  ContentSync,
  DevelopmentPlan,
  DevelopmentPlanItem,
  OrgUnitBudget,
  Evaluation,
  EvaluationResponse,
  ProgrammeIndicator,
];

/** Every migration of the core, in order. */
export const CORE_MIGRATIONS: Type[] = [
  Foundation1764201600000,
  OrgUnits1764288000000,
  Competency1764374400000,
  Learning1764460800000,
  QuestionBanks1764547200000,
  Assessments1764633600000,
  Notifications1764720000000,
  Certification1764806400000,
  Content1764892800000,
  StudyEvidence1765152000000,
  CredentialStatus1765411200000,
  SessionVersion1765497600000,
  JpOncePerCourse1765670400000,
  EvidenceEnds1765756800000,
  GradeOverrides1765843200000,
  ExamSessions1766275200000,
  SchemeSupervision1766361600000,
  PasswordReset1766620800000,
  OneSetOfPositions1766793600000,
  QuestionFiles1766800000034,
  QuestionIdnumbers1766820000000,
  DevelopmentPlans1766900000000,
  DevelopmentReportIndexes1766900000001,
  CertificateNumbering1767000000000,
];
