import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { PasswordService } from '../platform/auth/password.service.js';
import { LOADED_SECTORS } from '../registry/sectors.service.js';
import type { LoadedSector } from '../registry/sector-loader.js';
import { DEMO_ORG_UNITS, DEMO_PEOPLE } from './demo-people.js';
import { DEMO_PEOPLE_READY } from './people.events.js';
import { OrgUnit } from '../identity/org-unit.entity.js';
import { Role, User } from '../identity/user.entity.js';

/** Known, printed demo password; demo data is refused in production. */
export const DEMO_PASSWORD = 'Demo-Sertifikasi-2026';

export interface DemoLogin {
  role: Role;
  username: string;
  name: string;
  sectors: string[];
  /** The names of the demo people this one is the direct supervisor of (ADR 0040). */
  reports: string[];
}

interface NewUser {
  nip?: string;
  email?: string;
  name: string;
  role: Role;
  sectors?: string[];
}

/** Creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, and demo accounts when DEMO_DATA is on. */
@Injectable()
export class BootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bootstrap');
  readonly demoLogins: DemoLogin[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOADED_SECTORS) private readonly sectors: LoadedSector[],
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(OrgUnit) private readonly orgUnits: Repository<OrgUnit>,
    private readonly passwords: PasswordService,
    private readonly events: EventEmitter2,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.admin && !(await this.users.existsBy({ role: 'admin' }))) {
      await this.create(
        { email: this.config.admin.email, name: 'Administrator', role: 'admin' },
        this.config.admin.password,
      );
      this.logger.log(`Created the first admin ${this.config.admin.email}`);
    }
    if (this.config.demoData) {
      await this.demo();
      // Other domains add their demo records on top of these people, in this order.
      await this.events.emitAsync(DEMO_PEOPLE_READY);
    }
  }

  private async demo(): Promise<void> {
    const units = new Map<string, string>();
    for (const { parent, ...unit } of DEMO_ORG_UNITS) {
      const parentId = parent ? (units.get(parent) ?? null) : null;
      let row = await this.orgUnits.findOneBy({ code: unit.code });
      if (!row) {
        const now = new Date();
        row = this.orgUnits.create({
          ...unit,
          parentId,
          active: true,
          createdAt: now,
          updatedAt: now,
        });
        await this.orgUnits.insert(row);
      } else if (parentId && !row.parentId) {
        // Demo data from before the tree (ADR 0040): the unit takes its place in it.
        await this.orgUnits.update({ id: row.id }, { parentId });
      }
      units.set(unit.code, row.id);
    }
    const loaded = new Set(this.sectors.map((s) => s.manifest.key));
    const hash = await this.passwords.hash(DEMO_PASSWORD);
    const created = new Set<string>();
    const present = DEMO_PEOPLE.filter((p) => !p.sector || loaded.has(p.sector));
    for (const { sector, unit, supervisor: _supervisor, ...person } of present) {
      const sectors = person.role === 'coordinator' && sector ? [sector] : [];
      const exists = await this.users.existsBy(
        person.nip ? { nip: person.nip } : { email: person.email },
      );
      if (!exists) {
        await this.create({ ...person, sectors }, hash, true, units.get(unit) ?? null);
        created.add(person.nip ?? person.email!);
      }
      this.demoLogins.push({
        role: person.role,
        // Staff sign in by e-mail, ASN by NIP (both work for everyone).
        username: (person.role === 'asn' ? person.nip : person.email) ?? person.nip ?? '',
        name: person.name,
        sectors,
        reports: present
          .filter((p) => p.supervisor && p.supervisor === person.nip)
          .map((p) => p.name),
      });
    }
    // Supervisors once everyone exists, for the people or supervisors new at this boot: a
    // line an admin has changed or cleared since is left as it is.
    for (const person of present) {
      if (!person.nip || !person.supervisor) continue;
      if (!created.has(person.nip) && !created.has(person.supervisor)) continue;
      const supervisor = await this.users.findOneBy({ nip: person.supervisor });
      if (supervisor)
        await this.users.update(
          { nip: person.nip, supervisorId: IsNull() },
          { supervisorId: supervisor.id },
        );
    }
  }

  private async create(
    person: NewUser,
    password: string,
    hashed = false,
    orgUnitId: string | null = null,
  ): Promise<void> {
    const now = new Date();
    await this.users.insert({
      nip: person.nip ?? null,
      orgUnitId,
      email: person.email?.toLowerCase() ?? null,
      name: person.name,
      role: person.role,
      sectors: person.sectors ?? [],
      passwordHash: hashed ? password : await this.passwords.hash(password),
      active: true,
      mustChangePassword: false,
      failedLogins: 0,
      lockedUntil: null,
      createdAt: now,
      updatedAt: now,
    });
  }
}
