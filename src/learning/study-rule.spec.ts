import { durationText, minStudySeconds, studyClock } from './study-rule.js';

const aLesson = (over: Partial<{ kind: string; durationMinutes: number }> = {}) => ({
  kind: 'markdown',
  durationMinutes: 45,
  ...over,
});
const policy = (minStudyPercent = 50, minStudyMinutes: number | null = null) => ({
  minStudyPercent,
  minStudyMinutes,
});
const at = (minutes: number) => new Date(Date.UTC(2026, 0, 5, 8, 0, 0) + minutes * 60_000);

describe('minStudySeconds', () => {
  it('is half of the stated minutes by default', () => {
    expect(minStudySeconds(policy(), aLesson())).toBe(45 * 30);
  });

  it('follows the course share, 0 for reference material', () => {
    expect(minStudySeconds(policy(80), aLesson({ durationMinutes: 10 }))).toBe(480);
    expect(minStudySeconds(policy(0), aLesson())).toBe(0);
  });

  it('takes fixed minutes instead of the share, never more than the lesson states', () => {
    expect(minStudySeconds(policy(50, 10), aLesson())).toBe(600);
    expect(minStudySeconds(policy(50, 10), aLesson({ durationMinutes: 4 }))).toBe(240);
    expect(minStudySeconds(policy(50, 0), aLesson())).toBe(0);
  });

  it('never asks time of an assessment lesson: its pass completes it', () => {
    expect(minStudySeconds(policy(100), aLesson({ kind: 'assessment' }))).toBe(0);
  });

  it('keeps out-of-range shares inside 0–100', () => {
    expect(minStudySeconds(policy(250), aLesson({ durationMinutes: 1 }))).toBe(60);
    expect(minStudySeconds(policy(-5), aLesson())).toBe(0);
  });
});

describe('studyClock', () => {
  it('asks the whole minimum of a lesson never opened', () => {
    expect(
      studyClock({ openedAt: null, lastCompletedAt: null, requiredSeconds: 600, now: at(0) }),
    ).toEqual({ countsFrom: null, completableAt: null, remainingSeconds: 600 });
  });

  it('counts from the first opening', () => {
    const clock = studyClock({
      openedAt: at(0),
      lastCompletedAt: null,
      requiredSeconds: 600,
      now: at(4),
    });
    expect(clock.completableAt).toEqual(at(10));
    expect(clock.remainingSeconds).toBe(360);
  });

  it('is ready exactly when the minimum has passed, and stays ready', () => {
    const base = { openedAt: at(0), lastCompletedAt: null, requiredSeconds: 600 };
    expect(studyClock({ ...base, now: at(10) }).remainingSeconds).toBe(0);
    expect(studyClock({ ...base, now: at(90) }).remainingSeconds).toBe(0);
    expect(studyClock({ ...base, now: new Date(at(10).getTime() - 1) }).remainingSeconds).toBe(1);
  });

  it('counts from the previous completion when that is later: lessons opened together are studied one after another', () => {
    const clock = studyClock({
      openedAt: at(0),
      lastCompletedAt: at(10),
      requiredSeconds: 600,
      now: at(11),
    });
    expect(clock.countsFrom).toEqual(at(10));
    expect(clock.remainingSeconds).toBe(540);
  });

  it('ignores an earlier completion', () => {
    const clock = studyClock({
      openedAt: at(5),
      lastCompletedAt: at(1),
      requiredSeconds: 60,
      now: at(5),
    });
    expect(clock.countsFrom).toEqual(at(5));
    expect(clock.remainingSeconds).toBe(60);
  });

  it('needs no wait when the minimum is 0', () => {
    expect(
      studyClock({ openedAt: at(0), lastCompletedAt: at(0), requiredSeconds: 0, now: at(0) })
        .remainingSeconds,
    ).toBe(0);
  });
});

describe('durationText', () => {
  it('says minutes and seconds in Indonesian or English', () => {
    expect(durationText(330)).toBe('5 menit 30 detik');
    expect(durationText(300)).toBe('5 menit');
    expect(durationText(45)).toBe('45 detik');
    expect(durationText(90, 'en')).toBe('1 min 30 s');
  });
});
