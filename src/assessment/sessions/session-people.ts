import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { User } from '../../identity/user.entity.js';
import { sessionError } from './session-errors.js';

/**
 * Who a coordinator names on the session form: proctors are typed as NIPs or e-mails, the
 * API takes user ids. Unknown or inactive ones are refused together, by what was typed.
 */
@Injectable()
export class SessionPeople {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  async idsOf(logins: string[]): Promise<string[]> {
    const wanted = [...new Set(logins.map((l) => l.trim()).filter(Boolean))];
    if (!wanted.length) return [];
    const nips = wanted.filter((l) => /^\d{18}$/.test(l));
    const emails = wanted.filter((l) => !nips.includes(l)).map((l) => l.toLowerCase());
    const found = await this.users.find({
      select: { id: true, nip: true, email: true },
      where: [
        ...(nips.length ? [{ nip: In(nips), active: true }] : []),
        ...(emails.length ? [{ email: In(emails), active: true }] : []),
      ],
    });
    const idOf = (login: string) =>
      found.find((u) => u.nip === login || u.email === login.toLowerCase())?.id;
    const unknown = wanted.filter((l) => !idOf(l));
    if (unknown.length)
      throw sessionError('session.invalid', {
        variant: 'logins',
        field: 'proctors',
        params: { logins: unknown.join(', ') },
      });
    return [...new Set(wanted.map((l) => idOf(l)!))];
  }
}
