import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { User } from '../../identity/user.entity.js';
import { AccessGuard } from './access.guard.js';
import { AccessService } from './access.service.js';
import { AuthUserCache } from './auth-user-cache.js';
import { AuthController, MeController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { LoginThrottle } from './login-throttle.service.js';
import { JwtStrategy } from './jwt.strategy.js';
import { MeService } from './me.service.js';
import { PasswordService } from './password.service.js';
import { RefreshToken } from './refresh-token.entity.js';
import { PasswordResetToken } from './password-reset-token.entity.js';
import { PasswordResetMailer } from './password-reset.mailer.js';
import { PasswordResetService } from './password-reset.service.js';
import { RefreshTokenCleanupJob } from './refresh-token-cleanup.job.js';
import { SessionsService } from './sessions.service.js';
import { PersonalDataSections } from '../personal-data/personal-data.js';
import { PersonalExport } from '../personal-data/personal-export.service.js';
import { ExportThrottleGuard } from '../personal-data/export-throttle.guard.js';

/** Global: every domain checks access with AccessService. */
@Global()
@Module({
  imports: [
    PassportModule,
    TypeOrmModule.forFeature([User, RefreshToken, PasswordResetToken]),
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256' },
      }),
    }),
  ],
  controllers: [AuthController, MeController],
  providers: [
    AccessService,
    LoginThrottle,
    AuthService,
    MeService,
    PasswordService,
    JwtStrategy,
    RefreshTokenCleanupJob,
    SessionsService,
    AuthUserCache,
    PasswordResetService,
    PasswordResetMailer,
    PersonalDataSections,
    PersonalExport,
    ExportThrottleGuard,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [
    AuthService,
    PasswordResetService,
    PasswordService,
    AccessService,
    MeService,
    SessionsService,
    AuthUserCache,
    PersonalDataSections,
    PersonalExport,
    ExportThrottleGuard,
  ],
})
export class AuthModule {}
