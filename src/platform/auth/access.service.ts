import { Injectable } from '@nestjs/common';
import { errorFamily } from '../http/domain-error.js';
import type { AuthUser } from './auth-user.js';

const accessError = errorFamily({ 'access.sector': 'forbidden', 'access.owner': 'forbidden' });

/**
 * Record-level checks services make after the route guard: a coordinator touches only
 * the sectors they serve, an ASN only their own records; admins see everything.
 */
@Injectable()
export class AccessService {
  /** Throws 403 unless the caller may manage records of `sector`. */
  requireSector(user: AuthUser, sector: string): void {
    if (!this.canManageSector(user, sector)) {
      throw accessError(
        'access.sector',
        `Anda tidak berwenang atas sektor "${sector}"`,
        undefined,
        { sector },
      );
    }
  }

  canManageSector(user: AuthUser, sector: string): boolean {
    return user.role === 'admin' || (user.role === 'coordinator' && user.sectors.includes(sector));
  }

  /** The sectors whose records the caller may manage; null means all (admin). Use it to filter queries. */
  managedSectors(user: AuthUser): string[] | null {
    if (user.role === 'admin') return null;
    return user.role === 'coordinator' ? user.sectors : [];
  }

  /** Throws 403 unless the record belongs to the caller, or the caller is staff who may see it. */
  requireOwnerOrSector(user: AuthUser, ownerId: string, sector?: string): void {
    if (user.id === ownerId) return;
    if (sector !== undefined ? this.canManageSector(user, sector) : user.role === 'admin') return;
    throw accessError('access.owner', 'Data ini bukan milik Anda');
  }
}
