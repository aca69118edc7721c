import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Competency } from '../competency/competency.entity.js';
import { CompetencyModule } from '../competency/competency.module.js';
import { ContentSyncService } from './content-sync.service.js';
import { ContentItem, ContentSync } from './content.entity.js';
import { SectorPages } from './sector.pages.js';

/** Sector content packs: installed, upgraded and reported. */
@Module({
  imports: [CompetencyModule, TypeOrmModule.forFeature([ContentItem, ContentSync, Competency])],
  controllers: [SectorPages],
  providers: [ContentSyncService],
  exports: [ContentSyncService],
})
export class ContentModule {}
