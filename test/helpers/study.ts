import type { INestApplication } from '@nestjs/common';
import { Clock } from '../../src/platform/clock.js';
import type { TestApp } from './test-app.js';

const offsets = new WeakMap<Clock, number>();

/**
 * Moves the app's clock forward by `seconds`, for good: time passes, as it would for a
 * learner who studies. Only the server's Clock moves, never the rule.
 */
export function passTime(app: INestApplication, seconds: number): void {
  const clock = app.get(Clock);
  offsets.set(clock, (offsets.get(clock) ?? 0) + seconds * 1000);
  clock.now = () => new Date(Date.now() + (offsets.get(clock) ?? 0));
}

/**
 * Studies lessons as an honest learner does, one after another: reads each (which opens
 * it), lets its minimum study time pass on the server's clock, then marks it done.
 * @returns the last completion's response body (the enrolment)
 */
export async function studyLessons(
  t: TestApp,
  token: string,
  enrollmentId: string,
  lessonIds: string[],
): Promise<{ status: string; progress: { completed: number }; completedAt: string | null }> {
  let last: { status: string; progress: { completed: number }; completedAt: string | null } | null =
    null;
  for (const lessonId of lessonIds) {
    const read = await t
      .as(token)
      .get(`/api/v1/enrollments/${enrollmentId}/lessons/${lessonId}`)
      .expect(200);
    passTime(t.app, (read.body.progress.remainingSeconds as number) + 1);
    last = (
      await t
        .as(token)
        .post(`/api/v1/enrollments/${enrollmentId}/lessons/${lessonId}/complete`)
        .expect(200)
    ).body;
  }
  return last!;
}
