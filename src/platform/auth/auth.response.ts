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

/** How a forgotten password is recovered on this deployment. */
export class PasswordResetOptionsResponse {
  /** True when a reset link can be mailed (SMTP configured); else only the admin resets. */
  selfService: boolean;
  /** Whom to ask (the agency's admin), in the caller's language. */
  contact: string;
}

/** The same answer whether or not the NIP/e-mail names an account. */
export class PasswordResetRequestedResponse {
  message: string;
}
