import { Role } from '../../people/user.entity.js';

/** The caller of a request, as the guard resolved it. */
export interface AuthUser {
  id: string;
  role: Role;
  /** Sector keys a coordinator serves. */
  sectors: string[];
  name: string;
}
