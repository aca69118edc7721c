import cluster, { type Worker } from 'node:cluster';

/** How long a worker that died is waited for before its replacement starts (no tight loop). */
const RESPAWN_DELAY_MS = 1000;

/**
 * The primary of `WORKERS` > 1: it serves nothing itself, it forks the HTTP workers and keeps
 * them running. The first worker boots alone (it runs the migrations, the bootstrap and the
 * content sync); the others start once it listens, so no two processes migrate at once. A
 * worker that fails before the first one listens stops everything (a configuration error
 * would fail in every worker alike); one that dies later is replaced. SIGTERM/SIGINT reach
 * every worker, each drains its connections, and the primary exits when all have.
 */
export async function runClusterPrimary(workers: number): Promise<void> {
  let stopping = false;
  let booted = false;

  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.once('listening', () =>
      console.log(`Worker ${worker.id} (pid ${worker.process.pid}) listening`),
    );
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      if (!booted) {
        console.error(`Worker ${worker.id} exited during boot (${signal ?? code}); stopping`);
        process.exit(typeof code === 'number' && code !== 0 ? code : 1);
      }
      console.error(`Worker ${worker.id} exited (${signal ?? code}); starting another`);
      setTimeout(() => !stopping && fork(), RESPAWN_DELAY_MS).unref();
    });
    return worker;
  };

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    let left = alive.length;
    if (!left) process.exit(0);
    for (const worker of alive) {
      worker.once('exit', () => --left === 0 && process.exit(0));
      worker.process.kill(signal);
    }
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  const first = fork();
  await new Promise<void>((resolve) => first.once('listening', () => resolve()));
  booted = true;
  for (let i = 1; i < workers; i++) fork();
}

/** In a worker of the cluster, whether it is the first (which prints the start banner). */
export function isFirstProcess(): boolean {
  return !cluster.isWorker || cluster.worker?.id === 1;
}
