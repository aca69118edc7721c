import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../platform/auth/auth.module.js';
import { BootstrapService } from './bootstrap.service.js';
import { User } from './user.entity.js';

/** Users and org units; creates the first admin and the demo accounts at boot. */
@Module({
  imports: [TypeOrmModule.forFeature([User]), AuthModule],
  providers: [BootstrapService],
  exports: [BootstrapService],
})
export class PeopleModule {}
