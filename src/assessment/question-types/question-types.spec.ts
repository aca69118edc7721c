import { EssayType } from './essay.type.js';
import { MatchingType, type MatchingDefinition } from './matching.type.js';
import { MultipleResponseType } from './multiple-response.type.js';
import { NumericType } from './numeric.type.js';
import { shortAnswerCredit, ShortAnswerType } from './short-answer.type.js';
import { SingleChoiceType } from './single-choice.type.js';

const anOption = (id: string, fraction: number, text = `Pilihan ${id}`) => ({
  id,
  text,
  fraction,
  feedback: `umpan balik ${id}`,
});

describe('single_choice', () => {
  const type = new SingleChoiceType();
  const definition = {
    options: [anOption('a', 1), anOption('b', 0), anOption('c', 0.5), anOption('d', -0.5)],
  };

  it('credits the chosen option, never below zero', () => {
    expect(type.grade(definition, 'a')).toEqual({ fraction: 1 });
    expect(type.grade(definition, 'c')).toEqual({ fraction: 0.5 });
    expect(type.grade(definition, 'd')).toEqual({ fraction: 0 });
  });

  it('scores an empty or unknown response zero', () => {
    expect(type.grade(definition, '')).toEqual({ fraction: 0 });
    expect(type.grade(definition, 'z')).toEqual({ fraction: 0 });
    expect(type.grade(definition, undefined as never)).toEqual({ fraction: 0 });
    expect(type.validateResponse(3)).toHaveLength(1);
  });

  it('shows the candidate options without credits or feedback', () => {
    expect(type.candidateView(definition)).toEqual({
      options: definition.options.map(({ id, text }) => ({ id, text })),
    });
  });

  it('refuses definitions without a fully right option or with repeated ids', () => {
    expect(type.validate({ options: [anOption('a', 0.5), anOption('b', 0)] })).toEqual([
      'one option must carry full credit (fraction 1)',
    ]);
    expect(type.validate({ options: [anOption('a', 1), anOption('a', 0)] })[0]).toContain(
      'repeated',
    );
    expect(type.validate({ options: [anOption('a', 2), anOption('b', 0)] })[0]).toContain(
      'from -1 to 1',
    );
    expect(type.validate(null)).toHaveLength(1);
  });
});

describe('multiple_response', () => {
  const type = new MultipleResponseType();
  const definition = {
    options: [anOption('a', 0.5), anOption('b', 0.5), anOption('c', -0.5), anOption('d', -1)],
  };

  it('adds the credits of the chosen options', () => {
    expect(type.grade(definition, ['a', 'b'])).toEqual({ fraction: 1 });
    expect(type.grade(definition, ['a'])).toEqual({ fraction: 0.5 });
    expect(type.grade(definition, ['a', 'b', 'c'])).toEqual({ fraction: 0.5 });
  });

  it('never goes below zero or above one, and counts a repeated id once', () => {
    expect(type.grade(definition, ['a', 'd'])).toEqual({ fraction: 0 });
    expect(type.grade(definition, ['c'])).toEqual({ fraction: 0 });
    expect(type.grade(definition, ['a', 'a', 'b', 'b'])).toEqual({ fraction: 1 });
  });

  it('scores an empty, unknown or malformed response zero', () => {
    expect(type.grade(definition, [])).toEqual({ fraction: 0 });
    expect(type.grade(definition, ['x', 'y'])).toEqual({ fraction: 0 });
    expect(type.grade(definition, 'a' as never)).toEqual({ fraction: 0 });
  });

  it('requires the positive credits to add up to one', () => {
    expect(type.validate({ options: [anOption('a', 0.5), anOption('b', 0.2)] })).toEqual([
      'the positive credits must add up to 1',
    ]);
    expect(
      type.validate({
        options: [anOption('a', 1 / 3), anOption('b', 1 / 3), anOption('c', 1 / 3)],
      }),
    ).toEqual([]);
  });
});

describe('short_answer', () => {
  const type = new ShortAnswerType();
  const definition = {
    answers: [
      { text: 'Cuci tangan', fraction: 1 },
      { text: 'cuci *', fraction: 0.5 },
      { text: 'hand hygiene', fraction: 1 },
    ],
  };

  it('ignores case and spacing', () => {
    expect(type.grade(definition, '  CUCI   tangan ')).toEqual({ fraction: 1 });
    expect(type.grade(definition, 'Hand Hygiene')).toEqual({ fraction: 1 });
  });

  it('lets * match any run of characters, and takes the best credit', () => {
    expect(type.grade(definition, 'cuci piring')).toEqual({ fraction: 0.5 });
    expect(type.grade(definition, 'cuci ')).toEqual({ fraction: 0 }); // trimmed to "cuci", no space left for "cuci *"
    expect(type.grade(definition, 'mencuci tangan')).toEqual({ fraction: 0 });
  });

  it('treats regex characters in answers literally', () => {
    expect(type.grade({ answers: [{ text: 'a.b (c)', fraction: 1 }] }, 'a.b (c)')).toEqual({
      fraction: 1,
    });
    expect(type.grade({ answers: [{ text: 'a.b (c)', fraction: 1 }] }, 'axb (c)')).toEqual({
      fraction: 0,
    });
  });

  it('matches several wildcards as Moodle does: anchored at both ends, pieces in order', () => {
    const grade = (text: string, given: string, caseSensitive = false) =>
      shortAnswerCredit([{ text, fraction: 1 }], given, caseSensitive);
    expect(grade('*a*b*c', 'abc')).toBe(1);
    expect(grade('*a*b*c', 'xxaYYbZZc')).toBe(1);
    expect(grade('*a*b*c', 'acb')).toBe(0);
    expect(grade('*a*b*c', 'abcx')).toBe(0); // the last piece ends the answer
    expect(grade('a*', 'ba')).toBe(0); // the first piece starts it
    expect(grade('a*a', 'a')).toBe(0); // one a cannot be both ends
    expect(grade('a*a', 'aa')).toBe(1);
    expect(grade('ab*bc', 'abc')).toBe(0); // pieces do not overlap
    expect(grade('*', 'apa saja')).toBe(1);
    expect(grade('a**b', 'ab')).toBe(1);
    expect(grade('Jl. * No. *', 'jl.  Sudirman   no. 5')).toBe(1); // spacing and case as before
    expect(grade('NIP*', 'nip 123', true)).toBe(0);
    expect(grade('NIP*', 'NIP 123', true)).toBe(1);
  });

  it('matches wildcards in time linear in the typed text (a hostile 20,000 characters)', () => {
    // As a regular expression `*a*b*c` backtracked cubically: 6 s for 5,000 characters, hours
    // for these. The test has no clock: it finishes at once or hangs.
    const hostile = 'ab'.repeat(10_000);
    const answers = [{ text: '*a*b*c', fraction: 1 }];
    expect(shortAnswerCredit(answers, hostile)).toBe(0);
    expect(shortAnswerCredit(answers, hostile + 'c')).toBe(1);
    expect(shortAnswerCredit([{ text: '*a*a*a*a*z', fraction: 1 }], 'a'.repeat(20_000))).toBe(0);
  });

  it('refuses a response longer than 500 characters', () => {
    expect(type.validateResponse('x'.repeat(500))).toEqual([]);
    expect(type.validateResponse('x'.repeat(501))).toEqual([
      'response must be at most 500 characters',
    ]);
  });

  it('scores an empty response zero and shows the candidate nothing of the key', () => {
    expect(type.grade(definition, '')).toEqual({ fraction: 0 });
    expect(type.candidateView()).toEqual({});
  });
});

describe('numeric', () => {
  const type = new NumericType();
  const definition = {
    answers: [
      { value: 2.5, tolerance: 0.5, fraction: 1 },
      { min: 10, max: 20, fraction: 0.5 },
    ],
  };

  it('accepts values within the tolerance, boundaries included', () => {
    expect(type.grade(definition, 2.5)).toEqual({ fraction: 1 });
    expect(type.grade(definition, 2)).toEqual({ fraction: 1 });
    expect(type.grade(definition, 3)).toEqual({ fraction: 1 });
    expect(type.grade(definition, 3.0001)).toEqual({ fraction: 0 });
    expect(type.grade(definition, 1.9999)).toEqual({ fraction: 0 });
  });

  it('accepts ranges inclusively with their own credit', () => {
    expect(type.grade(definition, 10)).toEqual({ fraction: 0.5 });
    expect(type.grade(definition, 20)).toEqual({ fraction: 0.5 });
    expect(type.grade(definition, 20.5)).toEqual({ fraction: 0 });
  });

  it('scores a missing or non-finite response zero', () => {
    expect(type.grade(definition, NaN)).toEqual({ fraction: 0 });
    expect(type.grade(definition, '2.5' as never)).toEqual({ fraction: 0 });
    expect(type.validateResponse(Infinity)).toHaveLength(1);
  });

  it('refuses answers without a tolerance or with a reversed range', () => {
    expect(type.validate({ answers: [{ value: 1, fraction: 1 }] })[0]).toContain(
      'needs value and tolerance',
    );
    expect(type.validate({ answers: [{ min: 3, max: 1, fraction: 1 }] })[0]).toContain('min ≤ max');
  });
});

describe('matching', () => {
  const type = new MatchingType();
  const definition: MatchingDefinition = {
    left: [
      { id: 'l1', text: 'APD' },
      { id: 'l2', text: 'PPI' },
      { id: 'l3', text: 'RJP' },
    ],
    right: [
      { id: 'r1', text: 'Alat pelindung diri' },
      { id: 'r2', text: 'Pencegahan dan pengendalian infeksi' },
      { id: 'r3', text: 'Resusitasi jantung paru' },
      { id: 'r4', text: 'Pengecoh' },
    ],
    key: { l1: 'r1', l2: 'r2', l3: 'r3' },
  };

  it('gives each right pair an equal share', () => {
    expect(type.grade(definition, { l1: 'r1', l2: 'r2', l3: 'r3' })).toEqual({ fraction: 1 });
    expect(type.grade(definition, { l1: 'r1', l2: 'r3', l3: 'r4' })).toEqual({
      fraction: 0.333333,
    });
    expect(type.grade(definition, {})).toEqual({ fraction: 0 });
    expect(type.grade(definition, null as never)).toEqual({ fraction: 0 });
  });

  it('shows both columns without the key', () => {
    const view = type.candidateView(definition);
    expect(view).toEqual({ left: definition.left, right: definition.right });
    expect(JSON.stringify(view)).not.toContain('key');
  });

  it('lets two left items share one right item, as Moodle does (PPI-22, PPI-33)', () => {
    const shared: MatchingDefinition = {
      left: [
        { id: 'l1', text: 'TB paru' },
        { id: 'l2', text: 'Campak' },
        { id: 'l3', text: 'Skabies' },
      ],
      right: [
        { id: 'r1', text: 'Udara' },
        { id: 'r2', text: 'Kontak' },
      ],
      key: { l1: 'r1', l2: 'r1', l3: 'r2' },
    };
    expect(type.validate(shared)).toEqual([]);
    expect(type.grade(shared, { l1: 'r1', l2: 'r1', l3: 'r2' })).toEqual({ fraction: 1 });
    expect(type.grade(shared, { l1: 'r1', l2: 'r2', l3: 'r2' })).toEqual({ fraction: 0.666667 });
    // Each right item once: how many there are tells nothing about which lefts share one.
    expect(type.candidateView(shared).right.map((r) => r.text)).toEqual(['Udara', 'Kontak']);
  });

  it('refuses a right column that repeats an item (it would show which lefts share it)', () => {
    expect(
      type.validate({
        ...definition,
        right: [...definition.right, { id: 'r5', text: 'Pengecoh' }],
      }),
    ).toEqual(['right items must differ from each other']);
    expect(type.validate({ ...definition, right: [definition.right[0]] })).toEqual([
      'right must list at least two items',
    ]);
  });

  it('refuses a key that points nowhere', () => {
    expect(type.validate({ ...definition, key: { l1: 'r1', l2: 'r9', l3: 'r3' } })).toEqual([
      'key must pair left "l2" with a right item',
    ]);
  });
});

describe('essay', () => {
  it('waits for a human grader and keeps the rubric from the candidate', () => {
    const type = new EssayType();
    expect(type.grade()).toBeNull();
    expect(type.candidateView()).toEqual({});
    expect(type.validateResponse('x'.repeat(50_001))).toHaveLength(1);
  });
});
