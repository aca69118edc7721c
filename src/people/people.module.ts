import { Module } from '@nestjs/common';
import { CompetencyModule } from '../competency/competency.module.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../platform/auth/auth.module.js';
import { BootstrapService } from './bootstrap.service.js';
import { User } from '../identity/user.entity.js';
import { OrgUnit } from '../identity/org-unit.entity.js';
import { OrgUnitsService } from './org-units.service.js';
import { OrgUnitsController, UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';
import { UserImportService } from './import/user-import.service.js';
import { PeoplePages } from './people.pages.js';
import { ReportingLine } from './reporting-line.service.js';

/** Users and org units; creates the first admin and the demo accounts at boot. */
@Module({
  imports: [TypeOrmModule.forFeature([User, OrgUnit]), AuthModule, CompetencyModule],
  controllers: [UsersController, OrgUnitsController, PeoplePages],
  providers: [BootstrapService, UsersService, OrgUnitsService, UserImportService, ReportingLine],
  exports: [BootstrapService, UsersService, OrgUnitsService, ReportingLine],
})
export class PeopleModule {}
