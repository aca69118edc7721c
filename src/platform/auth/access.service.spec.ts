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
});
