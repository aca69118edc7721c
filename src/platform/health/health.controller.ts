import {
  Controller,
  Get,
  Inject,
  Logger,
  Req,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { languageOf } from '../http/lang.decorator.js';
import { t } from '../i18n/i18n.js';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { GALERA_STATUS_SQL, galeraNodeReady } from '../../database/galera.js';
import {
  HealthIndicatorResponse,
  HealthResponse,
  HealthUnavailableResponse,
  LivenessResponse,
} from './health.response.js';

@ApiTags('health')
@ApiExtraModels(HealthIndicatorResponse)
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');

  /** Known at boot (`probeDatabase`): only a Galera node has a cluster to ask about. */
  private readonly galera: boolean;

  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.galera = config.database.type === 'mysql' && config.database.galera === true;
  }

  /**
   * Readiness: the app answers and its database does, and on a MariaDB Galera node, the node
   * is synced with its cluster (`cluster`): a node cut off from the cluster, joining or
   * desynced still answers `SELECT 1` while the API's queries fail or miss writes, so a load
   * balancer must take it out. When not ready, a 503 in the error shape of every other
   * endpoint, saying so, with Terminus' `status` and `details` (without the driver's message,
   * which names the database host: that goes to the log).
   */
  @Public()
  @Get()
  // Documented here: Terminus' own OpenAPI decorators need `require('@nestjs/swagger')`.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({ type: HealthResponse })
  @ApiServiceUnavailableResponse({ type: HealthUnavailableResponse })
  async ready(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HealthResponse | HealthUnavailableResponse> {
    try {
      return await this.health.check(
        this.galera
          ? this.galeraChecks()
          : [() => this.db.pingCheck('database', { timeout: 2000 })],
      );
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as {
        details?: Record<string, { status?: string; message?: string }>;
      };
      const details = Object.fromEntries(
        Object.entries(result.details ?? {}).map(([name, { status }]) => [name, { status }]),
      );
      this.logger.warn({ details: result.details }, 'Not ready');
      reply.status(503).header('retry-after', 5);
      return {
        statusCode: 503,
        error: 'Service Unavailable',
        message: t(
          languageOf(request),
          details.database?.status === 'down'
            ? 'health.databaseDown'
            : details.cluster?.status === 'down'
              ? 'health.clusterNotSynced'
              : 'error.503.title',
        ),
        status: 'error',
        details,
      };
    }
  }

  /**
   * On Galera, one query answers both: `database` (the node answers) and `cluster` (it is
   * ready and Synced, see `galeraNodeReady`). Not `SELECT 1`: under `wsrep_sync_wait` (the
   * default there) a read on a node cut off from the cluster fails at once (1205), which
   * would say "cannot be reached" of a node that answers; SHOW is not a read it waits for.
   */
  private galeraChecks() {
    const status =
      this.dataSource.query<{ Variable_name: string; Value: string }[]>(GALERA_STATUS_SQL);
    // Awaited by both checks below; a failure is theirs to report, never unhandled.
    status.catch(() => undefined);
    return [
      () =>
        this.indicators
          .check('database')
          .attempt(async () => {
            await status;
          })
          .withTimeout(2000),
      () =>
        this.indicators
          .check('cluster')
          .attempt(async () => {
            const rows = await status;
            if (!galeraNodeReady(rows))
              throw new Error(
                `Galera node not synced: ${rows.map((r) => `${r.Variable_name}=${r.Value}`).join(', ')}`,
              );
          })
          .withTimeout(2000),
    ];
  }

  /** Liveness: the process answers, whatever the database does. */
  @Public()
  @Get('live')
  live(): LivenessResponse {
    return { status: 'ok' };
  }
}
