import { Global, Module } from '@nestjs/common';
import { Clock } from './clock.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReplicaReads } from '../database/replica-reads.js';
import { TransactionService } from '../database/transaction.service.js';
import { AuditEntry } from './audit/audit-entry.entity.js';
import { AuditController } from './audit/audit.controller.js';
import { AuditService } from './audit/audit.service.js';
import { JobLease } from './scheduler/job-lease.entity.js';
import { JobLeaseService } from './scheduler/job-lease.service.js';
import { Notification } from './notifications/notification.entity.js';
import { NotificationsController } from './notifications/notifications.controller.js';
import { NotificationsService } from './notifications/notifications.service.js';
import { FileStorage } from './storage/file-storage.js';
import { TableExports } from './http/table-exports.service.js';

/** Cross-cutting services every domain may use: audit log, transactions, job leases, clock, notifications, table exports. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry, JobLease, Notification])],
  controllers: [AuditController, NotificationsController],
  providers: [
    AuditService,
    TransactionService,
    ReplicaReads,
    JobLeaseService,
    FileStorage,
    Clock,
    NotificationsService,
    TableExports,
  ],
  exports: [
    AuditService,
    TransactionService,
    ReplicaReads,
    JobLeaseService,
    FileStorage,
    Clock,
    NotificationsService,
    TableExports,
  ],
})
export class PlatformModule {}
