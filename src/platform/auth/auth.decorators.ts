import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AuthUser } from './auth-user.js';
import { Permission } from './permissions.js';

export const IS_PUBLIC = 'auth:public';
export const REQUIRED_PERMISSION = 'auth:permission';
export const OPEN_BEFORE_PASSWORD_CHANGE = 'auth:open-before-password-change';

/** Opens a route to anyone, signed in or not. The only way past the global guard. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Keeps a route open to a user who must still replace a temporary password. */
export const OpenBeforePasswordChange = () => SetMetadata(OPEN_BEFORE_PASSWORD_CHANGE, true);

/** The permission a route needs (see `PERMISSIONS`). */
export const Allow = (permission: Permission) => SetMetadata(REQUIRED_PERMISSION, permission);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
