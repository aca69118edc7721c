import { ApiProperty } from '@nestjs/swagger';
import type { JsonObject } from '../../database/columns.js';

/** One audited action: who, what, on which record, from where. */
export class AuditEntryResponse {
  id: string;
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  /** What changed, as the action recorded it. */
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  detail: JsonObject | null;
  ip: string | null;
}

/** One page of the audit trail, newest first. */
export class AuditPageResponse {
  items: AuditEntryResponse[];
  total: number;
  page: number;
  pageSize: number;
}
