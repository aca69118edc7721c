import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { PasswordService } from '../platform/auth/password.service.js';
import { LOADED_SECTORS } from '../registry/sectors.service.js';
import type { LoadedSector } from '../registry/sector-loader.js';
import { Role, User } from './user.entity.js';

/** Known, printed demo password; demo data is refused in production. */
export const DEMO_PASSWORD = 'Demo-Sertifikasi-2026';

export interface DemoLogin {
  role: Role;
  username: string;
  name: string;
  sectors: string[];
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
    private readonly passwords: PasswordService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.admin && !(await this.users.existsBy({ role: 'admin' }))) {
      await this.create(
        { email: this.config.admin.email, name: 'Administrator', role: 'admin' },
        this.config.admin.password,
      );
      this.logger.log(`Created the first admin ${this.config.admin.email}`);
    }
    if (this.config.demoData) await this.demo();
  }

  private async demo(): Promise<void> {
    const people: NewUser[] = [
      {
        email: 'admin@demo.sertifikasi.id',
        nip: '197804122003121002',
        name: 'Rahmat Hidayat Siregar',
        role: 'admin',
      },
    ];
    const asnBySector: Record<string, [string, string][]> = {
      health: [
        ['199003152015032001', 'Nurhayati Harahap'],
        ['198807202014031002', 'dr. Fadli Nasution'],
      ],
      education: [
        ['198512102010012003', 'Siti Aminah Lubis'],
        ['199106052019031004', 'Ahmad Ridwan Pulungan'],
      ],
      'administration-it': [
        ['199208172020121005', 'Dedi Kurniawan Daulay'],
        ['198701302011012006', 'Maya Sari Hasibuan'],
      ],
    };
    for (const { manifest } of this.sectors) {
      people.push({
        email: `koordinator.${manifest.key}@demo.sertifikasi.id`,
        name: `Koordinator ${manifest.name.id}`,
        role: 'coordinator',
        sectors: [manifest.key],
      });
      for (const [nip, name] of asnBySector[manifest.key] ?? [])
        people.push({ nip, name, role: 'asn' });
    }
    const hash = await this.passwords.hash(DEMO_PASSWORD);
    for (const person of people) {
      const exists = await this.users.existsBy(
        person.nip ? { nip: person.nip } : { email: person.email },
      );
      if (!exists) await this.create(person, hash, true);
      this.demoLogins.push({
        role: person.role,
        // Staff sign in by e-mail, ASN by NIP (both work for everyone).
        username:
          (person.role === 'asn' ? person.nip : person.email) ?? person.email ?? person.nip!,
        name: person.name,
        sectors: person.sectors ?? [],
      });
    }
  }

  private async create(person: NewUser, password: string, hashed = false): Promise<void> {
    const now = new Date();
    await this.users.insert({
      nip: person.nip ?? null,
      orgUnitId: null,
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
