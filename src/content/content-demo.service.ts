import { Inject, Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AssessmentDemoService } from '../assessment/engine/assessment-demo.service.js';
import {
  CertificationDemoService,
  type DemoScheme,
} from '../certification/certification-demo.service.js';
import { CompetencyDemoService } from '../competency/competency-demo.service.js';
import { PositionsService } from '../competency/positions.service.js';
import { User } from '../identity/user.entity.js';
import { LearningDemoService } from '../learning/learning-demo.service.js';
import { DEMO_PEOPLE } from '../people/demo-people.js';
import { DEMO_PEOPLE_READY } from '../people/people.events.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import type { LoadedSector } from '../registry/sector-loader.js';
import { LOADED_SECTORS } from '../registry/sectors.service.js';
import { ContentSyncService } from './content-sync.service.js';

/**
 * Demo records on top of the sector packs, so every page and report shows something real at
 * first start: per sector, one ASN certified (health: expiring within 30 days), one halfway
 * through a course with a failed attempt and an essay waiting for grading. Each domain
 * writes its own part through its demo service; this one decides who does what, in order.
 */
@Injectable()
export class ContentDemoService {
  private readonly logger = new Logger('ContentDemo');

  constructor(
    @Inject(LOADED_SECTORS) private readonly loaded: LoadedSector[],
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly content: ContentSyncService,
    private readonly competencyDemo: CompetencyDemoService,
    private readonly positions: PositionsService,
    private readonly learningDemo: LearningDemoService,
    private readonly assessmentDemo: AssessmentDemoService,
    private readonly certificationDemo: CertificationDemoService,
  ) {}

  @OnEvent(DEMO_PEOPLE_READY, { async: true, promisify: true })
  async seed(): Promise<void> {
    // One writer at a time: the packs first (their sync is one long transaction that must
    // not race the demo inserts on MariaDB), then the demo holders on the packs' positions
    // (ADR 0028), then the records that build on both.
    await this.content.ready();
    await this.competencyDemo.seed();
    for (const { manifest } of this.loaded) {
      const people = DEMO_PEOPLE.filter(
        (p) => p.sector === manifest.key && p.role === 'asn' && p.nip,
      );
      const [certified, learning] = await Promise.all(
        people.slice(0, 2).map((p) => this.users.findOneBy({ nip: p.nip! })),
      );
      const scheme = await this.certificationDemo.firstActiveScheme(manifest.key);
      if (!certified || !scheme) continue;
      if (await this.assessmentDemo.hasAttempts(certified.id)) continue; // seeded before
      try {
        await this.certify(certified, scheme, manifest.key === 'health');
        if (learning) await this.halfway(learning, scheme, manifest.key, manifest.name.id);
      } catch (error) {
        this.logger.warn({ err: error }, `Demo records of ${manifest.key} incomplete`);
      }
    }
  }

  private caller(user: User): AuthUser {
    return {
      id: user.id,
      role: user.role,
      sectors: user.sectors,
      name: user.name,
      mustChangePassword: false,
    };
  }

  /** Completes the scheme's courses and passes its assessments: the certificate follows. */
  private async certify(user: User, scheme: DemoScheme, expiringSoon: boolean) {
    const caller = this.caller(user);
    const target = scheme.targetPositions[0];
    const position = target ? await this.positions.refByCode(target) : null;
    if (position) await this.users.update({ id: user.id }, { positionId: position.id });
    for (const code of scheme.requirements.courses) await this.learningDemo.study(caller, code, 1);
    for (const { assessmentId } of scheme.requirements.assessments)
      await this.assessmentDemo.sit(caller, assessmentId, true);
    // One certificate close to its end, so reminders and the expiry report have a case.
    if (expiringSoon)
      await this.certificationDemo.expireAt(
        user.id,
        scheme.id,
        new Date(Date.now() + 20 * 86_400_000),
      );
  }

  /** Half of a course done, one failed attempt, and an essay waiting for the coordinator. */
  private async halfway(user: User, scheme: DemoScheme, sector: string, name: string) {
    const caller = this.caller(user);
    const [first] = scheme.requirements.courses;
    if (first) await this.learningDemo.study(caller, first, 0.5);
    const [exam] = scheme.requirements.assessments;
    if (exam) await this.assessmentDemo.sit(caller, exam.assessmentId, false);
    const reflection = await this.assessmentDemo.reflectionFor(
      caller,
      sector,
      `Refleksi Praktik Kerja ${name} (demo)`,
    );
    if (reflection) await this.assessmentDemo.sit(caller, reflection, true);
  }
}
