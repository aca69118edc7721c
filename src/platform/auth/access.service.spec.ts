import { DomainError } from '../http/domain-error.js';
import { AccessService } from './access.service.js';
import type { AuthUser } from './auth-user.js';

const aUser = (overrides: Partial<AuthUser> = {}): AuthUser => ({
  id: 'u1',
  role: 'asn',
  sectors: [],
  name: 'Uji',
  mustChangePassword: false,
  ...overrides,
});

describe('AccessService', () => {
  const access = new AccessService();
  const healthCoordinator = aUser({ id: 'c1', role: 'coordinator', sectors: ['health'] });

  it('lets a coordinator manage only their sectors, and an admin all', () => {
    expect(() => access.requireSector(healthCoordinator, 'health')).not.toThrow();
    expect(() => access.requireSector(healthCoordinator, 'education')).toThrow(DomainError);
    expect(() => access.requireSector(aUser(), 'health')).toThrow(/tidak berwenang/);
    expect(() => access.requireSector(aUser({ role: 'admin' }), 'education')).not.toThrow();
    expect(access.managedSectors(healthCoordinator)).toEqual(['health']);
    expect(access.managedSectors(aUser({ role: 'admin' }))).toBeNull();
    expect(access.managedSectors(aUser())).toEqual([]);
  });

  it('lets an ASN see only their own records', () => {
    expect(() => access.requireOwnerOrSector(aUser({ id: 'a1' }), 'a1')).not.toThrow();
    expect(() => access.requireOwnerOrSector(aUser({ id: 'a2' }), 'a1', 'health')).toThrow(
      /bukan milik Anda/,
    );
    expect(() => access.requireOwnerOrSector(healthCoordinator, 'a1', 'health')).not.toThrow();
    expect(() => access.requireOwnerOrSector(healthCoordinator, 'a1', 'education')).toThrow(
      DomainError,
    );
  });

  describe('attesting (ADR 0012)', () => {
    const kes = { code: 'KES.PPI', type: 'teknis', sector: 'health' };
    const dik = { code: 'DIK.DATA', type: 'teknis', sector: 'education' };
    const m1 = { code: 'M.1', type: 'manajerial', sector: null };
    const sk1 = { code: 'SK.1', type: 'sosial-kultural', sector: null };
    const admin = aUser({ role: 'admin' });
    const status = (fn: () => void) => {
      try {
        fn();
        return 'ok';
      } catch (error) {
        return `${(error as DomainError).kind}:${(error as DomainError).code}:${(error as DomainError).field}`;
      }
    };

    it("lets a coordinator attest their own sector's technical competencies only", () => {
      expect(status(() => access.requireMayAttest(healthCoordinator, 'health', kes, 'f'))).toBe(
        'ok',
      );
      expect(
        status(() => access.requireMayAttest(healthCoordinator, 'health', dik, 'attests[0]')),
      ).toBe('forbidden:access.attest_sector:attests[0]');
      for (const national of [m1, sk1])
        expect(
          status(() => access.requireMayAttest(healthCoordinator, 'health', national, 'f')),
        ).toBe('forbidden:access.attest_national:f');
    });

    it('lets an admin attest national competencies, but not carry a technical one across sectors', () => {
      expect(status(() => access.requireMayAttest(admin, 'health', m1, 'f'))).toBe('ok');
      expect(status(() => access.requireMayAttest(admin, 'health', kes, 'f'))).toBe('ok');
      expect(status(() => access.requireMayAttest(admin, 'health', dik, 'f'))).toBe(
        'refused:access.attest_mismatch:f',
      );
      const both = aUser({ role: 'coordinator', sectors: ['health', 'education'] });
      expect(status(() => access.requireMayAttest(both, 'health', dik, 'f'))).toBe(
        'refused:access.attest_mismatch:f',
      );
    });
  });

  describe('deciding for a candidate (ADR 0012)', () => {
    const healthAsn = { id: 'a1', role: 'asn' as const, positionSector: 'health' };
    const educationAsn = { id: 'a2', role: 'asn' as const, positionSector: 'education' };
    const unplacedAsn = { id: 'a3', role: 'asn' as const, positionSector: null };
    const peer = { id: 'c2', role: 'coordinator' as const, positionSector: 'health' };
    const admin = aUser({ id: 'ad', role: 'admin' });
    const adminCandidate = { id: 'ad2', role: 'admin' as const, positionSector: null };
    const code = (fn: () => void) => {
      try {
        fn();
        return 'ok';
      } catch (error) {
        return (error as DomainError).code;
      }
    };

    it('lets a coordinator decide only for ASN whose position is in their sectors', () => {
      expect(code(() => access.requireMayDecideFor(healthCoordinator, healthAsn))).toBe('ok');
      expect(code(() => access.requireMayDecideFor(healthCoordinator, educationAsn))).toBe(
        'access.candidate_sector',
      );
      expect(code(() => access.requireMayDecideFor(healthCoordinator, unplacedAsn))).toBe(
        'access.candidate_unplaced',
      );
      expect(code(() => access.requireMayDecideFor(healthCoordinator, peer))).toBe(
        'access.candidate_role',
      );
      expect(code(() => access.requireMayDecideFor(healthCoordinator, adminCandidate))).toBe(
        'access.candidate_role',
      );
      expect(access.mayDecideFor(healthCoordinator, educationAsn)).toBe(false);
    });

    it('never lets anyone decide for themselves, the admin included', () => {
      expect(
        code(() =>
          access.requireMayDecideFor(healthCoordinator, { ...peer, id: healthCoordinator.id }),
        ),
      ).toBe('access.self');
      expect(code(() => access.requireMayDecideFor(admin, { ...adminCandidate, id: 'ad' }))).toBe(
        'access.self',
      );
      for (const candidate of [healthAsn, educationAsn, unplacedAsn, peer, adminCandidate])
        expect(code(() => access.requireMayDecideFor(admin, candidate))).toBe('ok');
    });
  });
});
