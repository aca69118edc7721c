import { UserAdminResponse } from '../identity/user.response.js';

/** One page of users (`?page=&pageSize=`). */
export class UserPageResponse {
  items: UserAdminResponse[];
  total: number;
  page: number;
  pageSize: number;
}

/** How many rows of an import each outcome had. */
export class ImportSummaryResponse {
  create: number;
  update: number;
  unchanged: number;
  error: number;
}

export class ImportRowResponse {
  line: number;
  nip: string;
  name: string;
  outcome: 'create' | 'update' | 'unchanged' | 'error';
  errors: string[];
  changes: string[];
}

export class ImportCredentialResponse {
  nip: string;
  name: string;
  temporaryPassword: string;
}

export class UserImportResponse {
  dryRun: boolean;
  summary: ImportSummaryResponse;
  rows: ImportRowResponse[];
  /** Temporary passwords of created users (apply only): to hand out; each must be changed at first login. */
  credentials?: ImportCredentialResponse[];
}

export class ResetPasswordResponse {
  temporaryPassword?: string;
}

export class OrgUnitResponse {
  id: string;
  code: string;
  name: string;
  active: boolean;
  /** The code of the unit above; null at the top of the tree. */
  parentCode: string | null;
}

/** A created user, with the temporary password when none was given (to hand out once). */
export class CreatedUserResponse extends UserAdminResponse {
  temporaryPassword?: string;
}
