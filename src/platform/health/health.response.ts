import { ApiProperty, getSchemaPath } from '@nestjs/swagger';

/** One indicator's state (`database`; `cluster` on a MariaDB Galera node). */
export class HealthIndicatorResponse {
  @ApiProperty({ enum: ['up', 'down'] })
  status: string;
}

/**
 * Readiness: Terminus' answer, `details.database.status` saying whether the database answers
 * and, on a MariaDB Galera node only, `details.cluster.status` whether the node is synced.
 */
export class HealthResponse {
  status: 'error' | 'ok' | 'shutting_down' | 'degraded';
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath('HealthIndicatorResponse') },
  })
  details: Record<string, HealthIndicatorResponse>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath('HealthIndicatorResponse') },
  })
  info?: Partial<Record<string, HealthIndicatorResponse>>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath('HealthIndicatorResponse') },
  })
  error?: Partial<Record<string, HealthIndicatorResponse>>;
}

/** Not ready (503): the error shape of every endpoint, with Terminus' `status` and `details`. */
export class HealthUnavailableResponse {
  statusCode: number;
  error: string;
  message: string;
  status: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath('HealthIndicatorResponse') },
  })
  details: Record<string, { status: string | undefined }>;
}

/** Liveness: the process answers. */
export class LivenessResponse {
  status: string;
}
