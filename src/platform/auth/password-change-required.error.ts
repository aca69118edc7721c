import { errorFamily } from '../http/domain-error.js';

export const PASSWORD_CHANGE_REQUIRED = 'auth.password_change_required';

const error = errorFamily({ [PASSWORD_CHANGE_REQUIRED]: 'forbidden' });

/** 403 until a temporary password is replaced; the pages turn it into a redirect to the change form. */
export const passwordChangeRequired = () => error(PASSWORD_CHANGE_REQUIRED);
