import { UserResponse } from '../../identity/user.response.js';

/** What login and refresh answer. */
export class TokenPairResponse {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  user: UserResponse;
  /** True while the account holds a temporary password: only `/me` and the change are open. */
  passwordChangeRequired: boolean;
}
