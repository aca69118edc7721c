import { Injectable } from '@nestjs/common';
import type { Role } from '../../identity/user.entity.js';
import { errorFamily } from '../http/domain-error.js';
import type { AuthUser } from './auth-user.js';

const accessError = errorFamily({
  'access.sector': 'forbidden',
  'access.owner': 'forbidden',
  'access.attest_national': 'forbidden',
  'access.attest_sector': 'forbidden',
  'access.attest_mismatch': 'refused',
  'access.self': 'forbidden',
  'access.candidate_role': 'forbidden',
  'access.candidate_sector': 'forbidden',
  'access.candidate_unplaced': 'forbidden',
});

/** A competency as far as attesting it matters: whose it is. */
export interface AttestedCompetency {
  code: string;
  type: string;
  /** The sector of a technical competency; null for the national ones. */
  sector: string | null;
}

/**
 * The person a decision (an assessor's approval, a manual grade) is about. Their sector is
 * their position's: that is what their competency standard and their gaps come from.
 */
export interface Candidate {
  id: string;
  role: Role;
  positionSector: string | null;
}

/** A user row (with its position loaded) as a {@link Candidate}. */
export const candidateOf = (user: {
  id: string;
  role: Role;
  position?: { sector: string | null } | null;
}): Candidate => ({ id: user.id, role: user.role, positionSector: user.position?.sector ?? null });

/**
 * Record-level checks services make after the route guard: a coordinator touches only
 * the sectors they serve, an ASN only their own records; admins see everything.
 */
@Injectable()
export class AccessService {
  /** Throws 403 unless the caller may manage records of `sector`. */
  requireSector(user: AuthUser, sector: string): void {
    if (!this.canManageSector(user, sector)) {
      throw accessError('access.sector', { params: { sector } });
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
    throw accessError('access.owner');
  }

  /**
   * Whether a scheme or an assessment of `sector` may attest `competency` when `actor` writes
   * it (the caller already checked that the actor manages `sector`). National competencies
   * (manajerial, sosial-kultural) are vouched for by the BKPSDM only: admins. A technical
   * competency belongs to one sector and only that sector's records attest it: 403 for a
   * coordinator who does not serve its sector, 422 for someone who does (an admin, a
   * coordinator of both) but put it on another sector's record.
   */
  requireMayAttest(
    actor: AuthUser,
    sector: string,
    competency: AttestedCompetency,
    field: string,
  ): void {
    const params = {
      field,
      code: competency.code,
      type: competency.type,
      sector: competency.sector ?? '',
    };
    if (competency.type !== 'teknis' || !competency.sector) {
      if (actor.role === 'admin') return;
      throw accessError('access.attest_national', { field, params });
    }
    if (competency.sector === sector) return;
    if (!this.canManageSector(actor, competency.sector))
      throw accessError('access.attest_sector', { field, params });
    throw accessError('access.attest_mismatch', { field, params });
  }

  /**
   * Whether `actor` may decide about `candidate` (approve their practical, grade their
   * answer): never about themselves; an admin about anyone else; a coordinator only about
   * an ASN whose position is in one of the coordinator's sectors (coordinators and admins
   * who sit an exam or a practical are decided for by an admin).
   */
  mayDecideFor(actor: AuthUser, candidate: Candidate): boolean {
    return !this.decisionRefusal(actor, candidate);
  }

  /** Throws 403 when the caller would act on their own attempt or record as staff. */
  requireNotSelf(actor: AuthUser, userId: string, field?: string): void {
    if (actor.id === userId) throw accessError('access.self', { field });
  }

  /** Throws 403 unless {@link mayDecideFor}. */
  requireMayDecideFor(actor: AuthUser, candidate: Candidate, field?: string): void {
    const refusal = this.decisionRefusal(actor, candidate);
    if (refusal) throw accessError(refusal.code, { field, params: refusal.params });
  }

  private decisionRefusal(
    actor: AuthUser,
    candidate: Candidate,
  ): {
    code:
      | 'access.self'
      | 'access.candidate_role'
      | 'access.candidate_sector'
      | 'access.candidate_unplaced';
    /** For the catalogue's message, `errors.<code>`. */
    params?: Record<string, string>;
  } | null {
    if (actor.id === candidate.id) return { code: 'access.self' };
    if (actor.role === 'admin') return null;
    if (actor.role !== 'coordinator')
      return {
        code: 'access.candidate_sector',
        params: { sector: candidate.positionSector ?? '-' },
      };
    if (candidate.role !== 'asn')
      return { code: 'access.candidate_role', params: { role: candidate.role } };
    if (!candidate.positionSector) return { code: 'access.candidate_unplaced' };
    if (!actor.sectors.includes(candidate.positionSector))
      return { code: 'access.candidate_sector', params: { sector: candidate.positionSector } };
    return null;
  }
}
