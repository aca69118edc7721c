import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { Public } from '../auth/auth.decorators.js';
import { errorFamily } from '../http/domain-error.js';
import { MetricsService } from './metrics.service.js';

const metricsError = errorFamily({
  'metrics.token': 'unauthenticated',
  'metrics.remote': 'forbidden',
});
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * `/metrics` for Prometheus. With `METRICS_TOKEN` set, a scraper sends it as a Bearer token;
 * without it only the machine itself may read (the socket's address, not a forwarded one).
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  async scrape(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    const token = this.config.metricsToken;
    if (token) {
      const given = Buffer.from(String(req.headers.authorization ?? '').replace(/^Bearer /, ''));
      const expected = Buffer.from(token);
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw metricsError('metrics.token');
    } else if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      throw metricsError('metrics.remote');
    }
    return reply
      .header('content-type', this.metrics.registry.contentType)
      .send(await this.metrics.registry.metrics());
  }
}
