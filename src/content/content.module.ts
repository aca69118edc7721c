import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssessmentModule } from '../assessment/assessment.module.js';
import { CertificationModule } from '../certification/certification.module.js';
import { CompetencyModule } from '../competency/competency.module.js';
import { User } from '../identity/user.entity.js';
import { LearningModule } from '../learning/learning.module.js';
import { ContentDemoService } from './content-demo.service.js';
import { ContentSyncService } from './content-sync.service.js';
import { ContentItem, ContentSync } from './content.entity.js';
import { SectorPages } from './sector.pages.js';

/**
 * Sector content packs: installed, upgraded and reported. The records themselves are
 * written by the domains that own them (their `PackImporter`s and demo services).
 */
@Module({
  imports: [
    CompetencyModule,
    LearningModule,
    AssessmentModule,
    CertificationModule,
    TypeOrmModule.forFeature([ContentItem, ContentSync, User]),
  ],
  controllers: [SectorPages],
  providers: [ContentSyncService, ContentDemoService],
  exports: [ContentSyncService],
})
export class ContentModule {}
