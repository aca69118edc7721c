import { CertificationPersonalData } from './certification.personal-data.js';
import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssessmentModule } from '../assessment/assessment.module.js';
import { LearningModule } from '../learning/learning.module.js';
import { CompetencyModule } from '../competency/competency.module.js';
import { GapRecommenderRegistry } from '../competency/recommendations.js';
import { User } from '../identity/user.entity.js';
import { ApprovalsService } from './approvals.service.js';
import { CertificateFiles } from './certificate-files.js';
import { CredentialSharing } from './credential-sharing.js';
import { CertificateLifecycleJob } from './certificate-lifecycle.job.js';
import { CertificateRenderer } from './certificate-renderer.js';
import { CertificateEligibility } from './certificate-eligibility.js';
import { CertificateEvaluationFacts } from './certificate-evaluation-facts.js';
import { CertificateExpiry } from './certificate-expiry.js';
import { CertificateIssuer } from './certificate-issuer.js';
import { CertificateNumbering } from './certificate-numbering.js';
import { CertificateWithdrawal } from './certificate-withdrawal.js';
import { CertificatesService } from './certificates.service.js';
import { CertificationController } from './certification.controller.js';
import {
  Certificate,
  CertificateEvaluationPending,
  CertificateSequence,
  CertificationScheme,
  OutboxMail,
  SchemeApproval,
  StatusListCounter,
} from './certification.entity.js';
import { CertificationPages } from './certification.pages.js';
import { CredentialSigner } from './credential-signer.js';
import { MailOutbox } from './mail-outbox.service.js';
import { SchemeRecommender } from './scheme-recommender.js';
import { SchemePlanCatalogue } from './scheme-plan-catalogue.js';
import { CourseNextStep } from './course-next-step.js';
import { CourseNextSteps } from '../learning/course-next-steps.js';
import { SchemePackImport } from './scheme-pack-import.js';
import { CertificationDemoService } from './certification-demo.service.js';
import { SchemesService } from './schemes.service.js';
import { StatusLists } from './status-list.js';
import { VerifyThrottleGuard } from './verify-throttle.guard.js';

/** Certification schemes, issuance, rendering, verification, credentials and lifecycle. */
@Module({
  imports: [
    CompetencyModule,
    AssessmentModule,
    LearningModule,
    TypeOrmModule.forFeature([
      CertificationScheme,
      Certificate,
      CertificateSequence,
      CertificateEvaluationPending,
      StatusListCounter,
      SchemeApproval,
      OutboxMail,
      User,
    ]),
  ],
  controllers: [CertificationController, CertificationPages],
  providers: [
    CertificateEvaluationFacts,
    CertificationPersonalData,
    SchemePackImport,
    CertificationDemoService,
    SchemesService,
    CertificatesService,
    CertificateEligibility,
    CertificateIssuer,
    CertificateNumbering,
    CertificateWithdrawal,
    CertificateExpiry,
    ApprovalsService,
    CertificateRenderer,
    CredentialSigner,
    MailOutbox,
    CertificateLifecycleJob,
    SchemeRecommender,
    SchemePlanCatalogue,
    CourseNextStep,
    CertificateFiles,
    CredentialSharing,
    StatusLists,
    VerifyThrottleGuard,
  ],
  exports: [
    CertificateEvaluationFacts,
    CertificatesService,
    SchemesService,
    MailOutbox,
    SchemePackImport,
    CertificationDemoService,
    SchemePlanCatalogue,
  ],
})
export class CertificationModule implements OnModuleInit {
  constructor(
    private readonly recommenders: GapRecommenderRegistry,
    private readonly schemes: SchemeRecommender,
    private readonly nextSteps: CourseNextSteps,
    private readonly nextStep: CourseNextStep,
  ) {}

  onModuleInit(): void {
    this.recommenders.register(this.schemes, 'certification');
    this.nextSteps.register(this.nextStep);
  }
}
