import type { InvalidationBus } from '../../src/platform/cache/invalidation-bus.js';

/**
 * Invalidation buses of several instances joined as Redis would join them: call the result
 * once per instance; what one publishes reaches every one, itself included.
 */
export function joinedBuses(): () => InvalidationBus {
  const handlers: ((channel: string, key: string) => void)[] = [];
  return () => {
    const local = new Map<string, ((key: string) => void)[]>();
    const deliver = (channel: string, key: string) =>
      (local.get(channel) ?? []).forEach((h) => h(key));
    handlers.push(deliver);
    return {
      on: (channel: string, handler: (key: string) => void) =>
        local.set(channel, [...(local.get(channel) ?? []), handler]),
      publish: (channel: string, key: string) => handlers.forEach((h) => h(channel, key)),
    } as unknown as InvalidationBus;
  };
}
