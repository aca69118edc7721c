import { Role } from '../../identity/user.entity.js';

/** The caller of a request, as the guard resolved it. */
export interface AuthUser {
  id: string;
  role: Role;
  /** Sector keys a coordinator serves. */
  sectors: string[];
  name: string;
  /** Set for new and imported accounts and after a reset: only the password change is open. */
  mustChangePassword: boolean;
  /** The sign-in session (refresh family) the request's token belongs to: its device. */
  sid?: string;
}
