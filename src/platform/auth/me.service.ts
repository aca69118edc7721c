import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { User } from '../../people/user.entity.js';
import { errorFamily } from '../http/domain-error.js';
import type { AuthUser } from './auth-user.js';
import { userView, type UserView } from '../../people/user-view.js';

const meError = errorFamily({ 'me.gone': 'unauthenticated' });

@Injectable()
export class MeService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  async get(caller: AuthUser): Promise<UserView> {
    const user = await this.users.findOne({
      where: { id: caller.id },
      relations: { orgUnit: true, position: true },
    });
    if (!user) throw meError('me.gone', 'Akun tidak ditemukan');
    return userView(user);
  }
}
