import { Controller, Get, Logger, Req, Res, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { languageOf } from '../http/lang.decorator.js';
import { t } from '../i18n/i18n.js';
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

  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
  ) {}

  /**
   * Readiness: the app answers and its database does. When the database does not, a 503
   * in the error shape of every other endpoint, saying so, with Terminus' `status` and
   * `details` (without the driver's message, which names the database host: that goes to
   * the log).
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
      return await this.health.check([() => this.db.pingCheck('database', { timeout: 2000 })]);
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
          details.database?.status === 'down' ? 'health.databaseDown' : 'error.503.title',
        ),
        status: 'error',
        details,
      };
    }
  }

  /** Liveness: the process answers, whatever the database does. */
  @Public()
  @Get('live')
  live(): LivenessResponse {
    return { status: 'ok' };
  }
}
