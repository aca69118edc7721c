import { Role } from '../../identity/user.entity.js';

/**
 * Permissions as data: which roles hold each one. A route declares the permission it
 * needs with `@Allow('...')`; a route that declares nothing is refused by the guard.
 * Record-level checks (a coordinator's sector, an ASN's own record) happen in services.
 */
export const PERMISSIONS = {
  'self.read': ['admin', 'coordinator', 'asn'],
  'sector.manage': ['admin'],
  'audit.read': ['admin'],
  'user.manage': ['admin'],
  'org-unit.read': ['admin', 'coordinator'],
  'org-unit.manage': ['admin'],
  'competency.read': ['admin', 'coordinator', 'asn'],
  'competency.manage': ['admin', 'coordinator'],
  'position.read': ['admin', 'coordinator'],
  'position.manage': ['admin'],
  'evidence.manage': ['admin', 'coordinator'],
  'gaps.read-others': ['admin', 'coordinator'],
  'report.read': ['admin', 'coordinator'],
  'course.read': ['admin', 'coordinator', 'asn'],
  'course.manage': ['admin', 'coordinator'],
  'bank.manage': ['admin', 'coordinator'],
  'assessment.manage': ['admin', 'coordinator'],
  'assessment.take': ['admin', 'coordinator', 'asn'],
  'grading.manage': ['admin', 'coordinator'],
  /** Overriding a machine-graded item, with a reason (ADR 0020). */
  'grading.override': ['admin'],
  'scheme.manage': ['admin', 'coordinator'],
  'certificate.revoke': ['admin'],
  /** One's own development plan and questionnaires (ADR 0040). */
  'plan.own': ['admin', 'coordinator', 'asn'],
  'evaluation.respond': ['admin', 'coordinator', 'asn'],
  /**
   * Supervision is a relation, not a role: any user may hold it; the services check that the
   * person is a direct report (or, for an admin, act for a missing supervisor, recorded).
   */
  'team.read': ['admin', 'coordinator', 'asn'],
  'plan.decide': ['admin', 'coordinator', 'asn'],
  /** Budget ceilings, programme indicators, the agency plan. */
  'development.manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function roleHas(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
