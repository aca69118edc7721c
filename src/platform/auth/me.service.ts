import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { errorFamily } from '../http/domain-error.js';
import type { AuthUser } from './auth-user.js';
import type { UserView } from '../../identity/user-view.js';

const meError = errorFamily({ 'me.gone': 'unauthenticated' });

interface MeRow {
  id: string;
  nip: string | null;
  name: string;
  email: string | null;
  role: string;
  sectors: string;
  positionCode: string | null;
  positionName: string | null;
  orgUnitCode: string | null;
  orgUnitName: string | null;
  supervisorId: string | null;
  supervisorNip: string | null;
  supervisorName: string | null;
}

// Every page and client asks for this on each load: one plain statement, without building
// and mapping entities for it (TypeORM's find with two relations cost more than the query).
const ME_QUERY = `SELECT u.id, u.nip, u.name, u.email, u.role, u.sectors,
    p.code AS positionCode, p.name AS positionName, o.code AS orgUnitCode, o.name AS orgUnitName,
    s.id AS supervisorId, s.nip AS supervisorNip, s.name AS supervisorName
  FROM users u
  LEFT JOIN positions p ON p.id = u.positionId
  LEFT JOIN org_units o ON o.id = u.orgUnitId
  LEFT JOIN users s ON s.id = u.supervisorId
  WHERE u.id = ?`;

@Injectable()
export class MeService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(caller: AuthUser): Promise<UserView> {
    const rows: MeRow[] = await this.dataSource.query(ME_QUERY, [caller.id]);
    const row = rows[0];
    if (!row) throw meError('me.gone');
    return {
      id: row.id,
      nip: row.nip,
      name: row.name,
      email: row.email,
      role: row.role,
      sectors: JSON.parse(row.sectors) as string[],
      position: row.positionCode ? { code: row.positionCode, name: row.positionName! } : null,
      orgUnit: row.orgUnitCode ? { code: row.orgUnitCode, name: row.orgUnitName! } : null,
      supervisor: row.supervisorId
        ? { id: row.supervisorId, nip: row.supervisorNip, name: row.supervisorName! }
        : null,
    };
  }
}
