import { EssayType } from './essay.type.js';
import { MatchingType } from './matching.type.js';
import { MultipleResponseType } from './multiple-response.type.js';
import { NumericType } from './numeric.type.js';
import { problemsText, problemText } from './problem-text.js';
import { ShortAnswerType } from './short-answer.type.js';
import { SingleChoiceType } from './single-choice.type.js';
import { TrueFalseType } from './true-false.type.js';

/** Definitions that break each rule of the core types' `validate()`. */
const broken: [{ validate(d: unknown): string[] }, unknown[]][] = [
  [
    new SingleChoiceType(),
    [
      {},
      {
        options: [
          { id: 'a', text: 'A', fraction: 0.5 },
          { id: 'b', text: 'B', fraction: 0 },
        ],
      },
      {
        options: [
          { id: '', text: '', fraction: 2 },
          { id: 'b', text: 'B', fraction: 1 },
        ],
      },
      {
        options: [
          { id: 'a', text: 'A', fraction: 1 },
          { id: 'a', text: 'B', fraction: 0 },
        ],
      },
    ],
  ],
  [
    new MultipleResponseType(),
    [
      {
        options: [
          { id: 'a', text: 'A', fraction: 0.2 },
          { id: 'b', text: 'B', fraction: 0.2 },
        ],
      },
    ],
  ],
  [
    new NumericType(),
    [{}, { answers: [{ fraction: 2 }] }, { answers: [{ value: 1, tolerance: 0, fraction: 0.5 }] }],
  ],
  [
    new ShortAnswerType(),
    [{}, { answers: [{ text: '', fraction: 2 }] }, { answers: [{ text: 'x', fraction: 0.5 }] }],
  ],
  [new EssayType(), [{ rubric: 3 }]],
  [new TrueFalseType(), [{ answer: 'ya' }]],
  [
    new MatchingType(),
    [
      {},
      {
        left: [
          { id: 'a', text: 'A' },
          { id: 'b', text: 'B' },
        ],
        right: [{ id: 'x', text: 'X' }],
      },
      {
        left: [
          { id: 'a', text: 'A' },
          { id: 'a', text: 'B' },
        ],
        right: [
          { id: 'x', text: 'X' },
          { id: 'y', text: 'Y' },
        ],
        key: {},
      },
      {
        left: [
          { id: 'a', text: 'A' },
          { id: 'b', text: 'B' },
        ],
        right: [
          { id: 'x', text: 'X' },
          { id: 'y', text: 'X' },
        ],
        key: { a: 'x', b: 'y' },
      },
    ],
  ],
];

describe('question problems in the reader language', () => {
  const problems = broken.flatMap(([type, definitions]) =>
    definitions.flatMap((d) => type.validate(d)),
  );

  it('every problem the core types report reads as a catalogue message in Indonesian', () => {
    expect(problems.length).toBeGreaterThan(15);
    for (const problem of problems) {
      const text = problemText('id', problem);
      expect(text).not.toBe(problem);
      expect(text).not.toMatch(/\b(must|options|answers|fraction|required)\b/);
    }
  });

  it('numbers rows as the editor shows them, and reads English for English readers', () => {
    expect(problemText('id', 'options[0].text is required')).toBe(
      'Pilihan ke-1: teks pilihan wajib diisi',
    );
    expect(problemText('en', 'one option must carry full credit (fraction 1)')).toBe(
      'One option must carry full credit (100 percent)',
    );
    expect(problemsText('id', 'answers[1].text is required; rubric must be text')).toBe(
      'Jawaban ke-2: teks jawaban wajib diisi; Rubrik harus berupa teks',
    );
  });

  it("leaves a sector type's own sentence as it is", () => {
    expect(problemText('id', 'dosis harus positif')).toBe('dosis harus positif');
  });
});
