/**
 * What people tells the other domains. This file imports nothing, so any domain may listen
 * without depending on people's services.
 */

/** Users whose position was set or changed (admin edit, import): schemes may now apply. */
export const POSITION_CHANGED = 'user.position-changed';
export interface PositionChanged {
  userIds: string[];
}

/** The demo accounts exist (first boot with demo data): the demo content may refer to them. */
export const DEMO_PEOPLE_READY = 'demo.people-ready';
