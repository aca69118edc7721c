/** The shared Redis connection, or null when `REDIS_URL` is not set (everything per instance). */
export const REDIS = Symbol('REDIS');
