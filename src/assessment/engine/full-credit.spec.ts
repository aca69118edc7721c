import { EssayType } from '../question-types/essay.type.js';
import { MatchingType } from '../question-types/matching.type.js';
import { MultipleResponseType } from '../question-types/multiple-response.type.js';
import { NumericType } from '../question-types/numeric.type.js';
import { ShortAnswerType } from '../question-types/short-answer.type.js';
import { SingleChoiceType } from '../question-types/single-choice.type.js';
import { TrueFalseType } from '../question-types/true-false.type.js';
import { isFullCredit, round2 } from './attempt-rules.js';

const anOption = (id: string, fraction: number) => ({ id, text: `Pilihan ${id}`, fraction });

/** The rule results, review and item analysis share: a full-credit answer is "right". */
describe('full credit is right, for every type', () => {
  it('single choice, true/false, short answer, numeric', () => {
    const choice = { options: [anOption('a', 1), anOption('b', 0)] };
    expect(isFullCredit(new SingleChoiceType().grade(choice, 'a').fraction)).toBe(true);
    expect(isFullCredit(new SingleChoiceType().grade(choice, 'b').fraction)).toBe(false);
    expect(isFullCredit(new TrueFalseType().grade({ answer: false }, false).fraction)).toBe(true);
    const short = { answers: [{ text: 'agenda*', fraction: 1 }] };
    expect(isFullCredit(new ShortAnswerType().grade(short, ' Agenda surat ').fraction)).toBe(true);
    const numeric = { answers: [{ value: 2.5, tolerance: 0.1, fraction: 1 }] };
    expect(isFullCredit(new NumericType().grade(numeric, 2.45).fraction)).toBe(true);
  });

  it('multiple response with credits written as thirds (GIFT %33.33333%)', () => {
    const third = Math.round((33.33333 / 100) * 1e6) / 1e6; // as the GIFT reader stores it
    const definition = {
      options: [
        anOption('a', third),
        anOption('b', third),
        anOption('c', third),
        anOption('d', -1),
      ],
    };
    const type = new MultipleResponseType();
    const all = type.grade(definition, ['a', 'b', 'c']).fraction;
    expect(all).toBe(1);
    expect(isFullCredit(all)).toBe(true);
    expect(isFullCredit(type.grade(definition, ['a', 'b']).fraction)).toBe(false);
    expect(type.grade(definition, ['a', 'b', 'c', 'd']).fraction).toBe(0);
    // Stored before the fix: 0.999999 shows as 1/1 and must read as right too.
    expect(isFullCredit(0.999999)).toBe(true);
    expect(round2(0.999999 * 1)).toBe(1);
  });

  it('matching, and an essay given full marks by a grader', () => {
    const matching = {
      left: [
        { id: 'l1', text: 'x' },
        { id: 'l2', text: 'y' },
        { id: 'l3', text: 'z' },
      ],
      right: [
        { id: 'r1', text: '1' },
        { id: 'r2', text: '2' },
        { id: 'r3', text: '3' },
      ],
      key: { l1: 'r1', l2: 'r2', l3: 'r3' },
    };
    const type = new MatchingType();
    expect(isFullCredit(type.grade(matching, { l1: 'r1', l2: 'r2', l3: 'r3' }).fraction)).toBe(
      true,
    );
    expect(isFullCredit(type.grade(matching, { l1: 'r1', l2: 'r2', l3: 'r1' }).fraction)).toBe(
      false,
    );
    expect(new EssayType().grade()).toBeNull();
    // GradingService stores a person's grade as round2(score) / points.
    for (const points of [1, 3, 7, 12.5]) expect(isFullCredit(round2(points) / points)).toBe(true);
    expect(isFullCredit(round2(6.9) / 7)).toBe(false);
  });

  it('nothing is right without a credit', () => {
    expect(isFullCredit(null)).toBe(false);
    expect(isFullCredit(undefined)).toBe(false);
    expect(isFullCredit(0.99)).toBe(false);
  });
});
