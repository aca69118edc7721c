import { errorFamily } from '../../platform/http/domain-error.js';

/** Refusals of supervised sessions: each says which rule, so a client can act on it. */
export const sessionError = errorFamily({
  'session.not_found': 'not_found',
  'session.invalid': 'invalid',
  /** A supervised assessment started without `sessionId` and `pin`. */
  'session.required': 'forbidden',
  'session.pin_wrong': 'forbidden',
  /** The PIN was right until it was re-drawn: ask the proctor for the new one. */
  'session.pin_stale': 'forbidden',
  /** Five wrong PINs: a proctor must release the seat. */
  'session.locked': 'forbidden',
  'session.outside_window': 'forbidden',
  'session.outside_range': 'forbidden',
  /** The attempt is bound to the device that started it; a proctor moves it. */
  'session.other_device': 'forbidden',
  'session.not_assigned': 'forbidden',
  'session.absent': 'forbidden',
  /** Not a proctor of this session (nor its sector's coordinator, nor an admin). */
  'session.not_proctor': 'forbidden',
  'session.closed': 'conflict',
  'session.already_attempted': 'conflict',
  'session.attempts_open': 'conflict',
  'session.started': 'conflict',
  'session.full': 'refused',
  'session.not_supervised': 'refused',
  'session.booking_closed': 'refused',
});
