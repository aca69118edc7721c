import cluster, { type Cluster } from 'node:cluster';

// Free of Nest and the app's modules: the cluster primary imports it without loading the app.

/** What a worker sends the primary, and the primary every worker, to forget a cached key. */
export interface InvalidationMessage {
  type: 'sa:invalidate';
  channel: string;
  key: string;
}

export function isInvalidationMessage(message: unknown): message is InvalidationMessage {
  const m = message as Partial<InvalidationMessage> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.type === 'sa:invalidate' &&
    typeof m.channel === 'string' &&
    typeof m.key === 'string'
  );
}

/**
 * For the primary of a `node:cluster` app without Redis: passes each worker's invalidation on
 * to every worker (the sender too, which has already applied it: forgetting twice is harmless).
 */
export function relayInvalidations(primary: Cluster = cluster): void {
  primary.on('message', (_sender, message: unknown) => {
    if (!isInvalidationMessage(message)) return;
    for (const worker of Object.values(primary.workers ?? {}))
      if (worker?.isConnected()) worker.send(message);
  });
}
