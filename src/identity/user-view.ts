import type { User } from './user.entity.js';

/** A user as the API shows it (DESIGN.md "Key shapes": User). */
export interface UserView {
  id: string;
  nip: string | null;
  name: string;
  email: string | null;
  role: string;
  sectors: string[];
  position: { code: string; name: string } | null;
  orgUnit: { code: string; name: string } | null;
  /** The direct supervisor (atasan langsung), ADR 0040. */
  supervisor: { id: string; nip: string | null; name: string } | null;
}

/** The admin's view adds the account state. */
export interface UserAdminView extends UserView {
  active: boolean;
  mustChangePassword: boolean;
  createdAt: string;
}

/** `user.orgUnit`, `user.position` and `user.supervisor` must be loaded to show. */
export function userView(user: User): UserView {
  return {
    id: user.id,
    nip: user.nip,
    name: user.name,
    email: user.email,
    role: user.role,
    sectors: user.sectors,
    position: user.position ? { code: user.position.code, name: user.position.name } : null,
    orgUnit: user.orgUnit ? { code: user.orgUnit.code, name: user.orgUnit.name } : null,
    supervisor: user.supervisor
      ? { id: user.supervisor.id, nip: user.supervisor.nip, name: user.supervisor.name }
      : null,
  };
}

export function userAdminView(user: User): UserAdminView {
  return {
    ...userView(user),
    active: user.active,
    mustChangePassword: user.mustChangePassword,
    createdAt: user.createdAt.toISOString(),
  };
}
