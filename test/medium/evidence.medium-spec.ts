import { randomUUID } from 'node:crypto';
import { CompetencyModule } from '../../src/competency/competency.module.js';
import { Competency } from '../../src/competency/competency.entity.js';
import { EvidenceService } from '../../src/competency/evidence.service.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { User } from '../../src/identity/user.entity.js';
import { bootMedium, type MediumApp } from '../helpers/medium.js';

describe('evidence is recorded and ended only by its service (medium)', () => {
  let m: MediumApp;
  let evidence: EvidenceService;
  let userId: string;

  beforeAll(async () => {
    m = await bootMedium([CompetencyModule]);
    evidence = m.get(EvidenceService);
    const now = new Date();
    const user = await m.dataSource.getRepository(User).save({
      nip: null,
      orgUnitId: null,
      email: 'medium@uji.example',
      name: 'Pengguna Medium',
      role: 'asn',
      sectors: [],
      passwordHash: 'x',
      active: true,
      mustChangePassword: false,
      failedLogins: 0,
      lockedUntil: null,
      createdAt: now,
      updatedAt: now,
    });
    userId = user.id;
    await m.dataSource.getRepository(Competency).save({
      code: 'MED.1',
      title: 'Kompetensi medium',
      description: '',
      type: 'teknis',
      sector: 'health',
      levels: [],
      createdAt: now,
      updatedAt: now,
    });
  });
  afterAll(() => m.close());

  const earned = (sourceId: string, expiresAt: Date | null) => ({
    userId,
    source: 'certificate' as const,
    sourceId,
    reason: 'Sertifikat',
    attests: [
      { competencyCode: 'MED.1', level: 3 },
      // A code nobody defined proves nothing: no row, no level.
      { competencyCode: 'TIDAK-ADA', level: 5 },
    ],
    achievedAt: new Date(Date.now() - 86_400_000),
    expiresAt,
  });

  it('records the known competencies a source attests, and the level lapses with the source', async () => {
    const certificate = randomUUID();
    const recorded = await evidence.recordEarned(earned(certificate, null));
    expect(recorded.map((r) => r.level)).toEqual([3]);
    expect(await evidence.heldLevel(userId, 'MED.1')).toBe(3);
    expect(await evidence.heldLevel(userId, 'TIDAK-ADA')).toBe(0);

    await evidence.moveExpiry('certificate', certificate, new Date(Date.now() - 1000));
    expect(await evidence.heldLevel(userId, 'MED.1')).toBe(0);
  });

  it('writes inside the caller’s transaction: a failure after it leaves no evidence', async () => {
    const certificate = randomUUID();
    await expect(
      m.get(TransactionService).run(async () => {
        await evidence.recordEarned(earned(certificate, null));
        throw new Error('the certificate could not be issued');
      }),
    ).rejects.toThrow('could not be issued');
    expect(await evidence.ofSource('certificate', certificate)).toEqual([]);
  });
});
