import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PeopleModule } from '../../people/people.module.js';
import { AuthModule } from '../../platform/auth/auth.module.js';
import { PlatformModule } from '../../platform/platform.module.js';
import { OrgUnitBudget } from '../development.entity.js';
import { BudgetsController } from './budgets.controller.js';
import { BudgetsService } from './budgets.service.js';

/** Budget ceilings per org unit and year (ADR 0040), used by the agency plan report. */
@Module({
  imports: [TypeOrmModule.forFeature([OrgUnitBudget]), PlatformModule, AuthModule, PeopleModule],
  controllers: [BudgetsController],
  providers: [BudgetsService],
  exports: [BudgetsService],
})
export class BudgetsModule {}
