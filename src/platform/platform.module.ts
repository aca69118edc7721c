import { Global, Module } from '@nestjs/common';
import { Clock } from './clock.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TransactionService } from '../database/transaction.service.js';
import { AuditEntry } from './audit/audit-entry.entity.js';
import { AuditController } from './audit/audit.controller.js';
import { AuditService } from './audit/audit.service.js';
import { JobLease } from './scheduler/job-lease.entity.js';
import { JobLeaseService } from './scheduler/job-lease.service.js';
import { FileStorage } from './storage/file-storage.js';

/** Cross-cutting services every domain may use: audit log, transactions, job leases. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry, JobLease])],
  controllers: [AuditController],
  providers: [AuditService, TransactionService, JobLeaseService, FileStorage, Clock],
  exports: [AuditService, TransactionService, JobLeaseService, FileStorage, Clock],
})
export class PlatformModule {}
