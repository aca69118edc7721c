import { DynamicModule, Module, Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssessmentModule } from './assessment/assessment.module.js';
import { CompetencyModule } from './competency/competency.module.js';
import { LearningModule } from './learning/learning.module.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { CORE_ENTITIES } from './database/core-schema.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { PeopleModule } from './people/people.module.js';
import { AuthModule } from './platform/auth/auth.module.js';
import { HealthModule } from './platform/health/health.module.js';
import { ConnectionDrain } from './platform/http/connection-drain.js';
import { HttpExceptionFilter } from './platform/http/http-exception.filter.js';
import { LoggingModule } from './platform/logging/logging.module.js';
import { CertificationModule } from './certification/certification.module.js';
import { ContentModule } from './content/content.module.js';
import { DevelopmentModule } from './development/development.module.js';
import { ReportingModule } from './reporting/reporting.module.js';
import { RedisModule } from './platform/redis/redis.module.js';
import { MetricsModule } from './platform/metrics/metrics.module.js';
import { PlatformModule } from './platform/platform.module.js';
import { WebModule } from './platform/web/web.module.js';
import { CORE_VERSION } from './registry/core-version.js';
import { RegistryModule } from './registry/registry.module.js';
import { loadSectors } from './registry/sector-loader.js';

export interface AppModuleOptions {
  config: AppConfig;
  /** The sector list (normally `modules/index.ts`); tests pass their own. */
  sectors: readonly Type[];
}

@Module({})
export class AppModule {
  /** Composes the core modules with the sector modules that pass the registry's checks. */
  static forRoot({ config, sectors }: AppModuleOptions): DynamicModule {
    const loaded = loadSectors(sectors, {
      coreVersion: CORE_VERSION,
      only: config.sectors,
      coreEntities: CORE_ENTITIES,
    });
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config, loaded),
          // Tests share two cores with a dozen booting apps: a handshake can miss its limit.
          retryAttempts: config.env === 'production' ? 10 : config.env === 'test' ? 3 : 1,
          retryDelay: 1000,
        }),
        EventEmitterModule.forRoot({ wildcard: false }),
        ScheduleModule.forRoot(),
        RedisModule,
        MetricsModule,
        PlatformModule,
        AuthModule,
        RegistryModule.forRoot(loaded),
        HealthModule,
        WebModule,
        PeopleModule,
        AssessmentModule,
        CompetencyModule,
        LearningModule,
        CertificationModule,
        ContentModule,
        ReportingModule,
        DevelopmentModule,
        ...loaded.map((sector) => sector.module),
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }, ConnectionDrain],
    };
  }
}
