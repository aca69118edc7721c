import {
  ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { isDatabaseUnavailable } from '../../database/db-errors.js';
import type { AuthUser } from './auth-user.js';
import { IS_PUBLIC, OPEN_BEFORE_PASSWORD_CHANGE, REQUIRED_PERMISSION } from './auth.decorators.js';
import { passwordChangeRequired } from './password-change-required.error.js';
import { Permission, roleHas } from './permissions.js';

/**
 * The global guard. Deny by default: a route is reachable only if it is `@Public()` or
 * declares a permission with `@Allow()` that the caller's role holds.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    await super.canActivate(context);
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(
      REQUIRED_PERMISSION,
      targets,
    );
    if (!permission) {
      this.logger.error(
        `Route ${context.getClass().name}.${context.getHandler().name} declares no permission; refused`,
      );
      throw new ForbiddenException('Akses ditolak');
    }
    const user = context.switchToHttp().getRequest<{ user: AuthUser }>().user;
    if (!roleHas(user.role, permission)) {
      throw new ForbiddenException('Peran Anda tidak berwenang untuk tindakan ini');
    }
    const open = this.reflector.getAllAndOverride<boolean>(OPEN_BEFORE_PASSWORD_CHANGE, targets);
    if (user.mustChangePassword && !open) throw passwordChangeRequired();
    return true;
  }

  override handleRequest<T>(error: unknown, user: T): T {
    // The token is checked against the users table: with the database down that fails, and
    // a 401 would make clients (and the pages) drop a valid session. It is a 503 instead.
    if (isDatabaseUnavailable(error)) throw error;
    if (error || !user)
      throw new UnauthorizedException('Sesi tidak valid atau kedaluwarsa; silakan masuk kembali');
    return user;
  }
}
