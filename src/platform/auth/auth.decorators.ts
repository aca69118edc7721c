import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { AuthUser } from './auth-user.js';
import { Permission } from './permissions.js';

export const IS_PUBLIC = 'auth:public';
export const REQUIRED_PERMISSION = 'auth:permission';
export const OPEN_BEFORE_PASSWORD_CHANGE = 'auth:open-before-password-change';

/**
 * Opens a route to anyone, signed in or not. The only way past the global guard. The mark it
 * leaves in the OpenAPI document takes the operation's security requirement away (ADR 0037).
 */
export const Public = () =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension('x-public', true));

/** Keeps a route open to a user who must still replace a temporary password. */
export const OpenBeforePasswordChange = () => SetMetadata(OPEN_BEFORE_PASSWORD_CHANGE, true);

/** The permission a route needs (see `PERMISSIONS`). */
export const Allow = (permission: Permission) => SetMetadata(REQUIRED_PERMISSION, permission);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
