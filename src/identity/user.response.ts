import { ApiProperty } from '@nestjs/swagger';
import { ROLES } from './user.entity.js';

/** A position or an organisation unit as a user carries it. */
export class CodeNameResponse {
  code: string;
  name: string;
}

/** A user as another user's supervisor (atasan langsung). */
export class SupervisorResponse {
  id: string;
  nip: string | null;
  name: string;
}

/** A user as the API shows it (DESIGN.md "Key shapes": User): `GET /me`, the login's `user`. */
export class UserResponse {
  id: string;
  nip: string | null;
  name: string;
  email: string | null;
  @ApiProperty({ enum: ROLES })
  role: string;
  /** The sector keys the user belongs to or coordinates. */
  sectors: string[];
  position: CodeNameResponse | null;
  orgUnit: CodeNameResponse | null;
  /** The direct supervisor (atasan langsung); null when none is set. */
  supervisor: SupervisorResponse | null;
}

/** The admin's view of a user adds the account's state. */
export class UserAdminResponse extends UserResponse {
  active: boolean;
  /** True while the account holds a temporary password. */
  mustChangePassword: boolean;
  createdAt: string;
}
