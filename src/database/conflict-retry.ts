import { setTimeout as sleep } from 'node:timers/promises';
import { isSerialisationFailure } from './db-errors.js';

/** Runs of one transaction at most: the first and four retries. */
export const MAX_TRIES = 5;
const BASE_DELAY_MS = 15;
const MAX_DELAY_MS = 400;

/**
 * The pause before retry `retry` (1, 2, …): "full jitter", a random share of a ceiling that
 * doubles each time (30, 60, 120 … 400 ms), so that two transactions that just collided do
 * not collide again on the same beat.
 */
export function retryDelay(retry: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** retry));
}

/**
 * Runs `transaction` again while it loses a conflict (a serialisation failure: the server
 * rolled all of it back), up to {@link MAX_TRIES} runs in all; any other error, or the
 * conflict of the last run, is thrown. `onRetry` counts the retries.
 */
export async function retryOnConflict<T>(
  transaction: () => Promise<T>,
  onRetry: (run: number, error: unknown) => void = () => undefined,
): Promise<T> {
  for (let run = 1; ; run++) {
    try {
      return await transaction();
    } catch (error) {
      if (run >= MAX_TRIES || !isSerialisationFailure(error)) throw error;
      onRetry(run, error);
      await sleep(retryDelay(run));
    }
  }
}
