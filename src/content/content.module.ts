import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Competency } from '../competency/competency.entity.js';
import { CompetencyModule } from '../competency/competency.module.js';
import { Assessment, Attempt } from '../assessment/engine/assessment.entity.js';
import { AssessmentModule } from '../assessment/assessment.module.js';
import {
  Question,
  QuestionBank,
  QuestionVersion,
} from '../assessment/banks/question-bank.entity.js';
import {
  Certificate,
  CertificationScheme,
  OutboxMail,
} from '../certification/certification.entity.js';
import { CertificationModule } from '../certification/certification.module.js';
import { Evidence } from '../competency/evidence.entity.js';
import { Position } from '../competency/position.entity.js';
import { Course, Lesson } from '../learning/course.entity.js';
import { Enrollment } from '../learning/enrollment.entity.js';
import { LearningModule } from '../learning/learning.module.js';
import { User } from '../identity/user.entity.js';
import { Notification } from '../platform/notifications/notification.entity.js';
import { ContentDemoService } from './content-demo.service.js';
import { ContentSyncService } from './content-sync.service.js';
import { ContentItem, ContentSync } from './content.entity.js';
import { SectorPages } from './sector.pages.js';

/** Sector content packs: installed, upgraded and reported. */
@Module({
  imports: [
    CompetencyModule,
    LearningModule,
    AssessmentModule,
    CertificationModule,
    TypeOrmModule.forFeature([
      ContentItem,
      ContentSync,
      Competency,
      User,
      Course,
      Lesson,
      Enrollment,
      Assessment,
      Attempt,
      Question,
      QuestionVersion,
      QuestionBank,
      CertificationScheme,
      Certificate,
      Evidence,
      Position,
      OutboxMail,
      Notification,
    ]),
  ],
  controllers: [SectorPages],
  providers: [ContentSyncService, ContentDemoService],
  exports: [ContentSyncService],
})
export class ContentModule {}
