import { Injectable } from '@nestjs/common';
import type { GradeOutcome, QuestionType } from '../../registry/extension-points.js';
import { clamp01 } from './choice.js';

/** An accepted value with a tolerance, or a range; each with its credit. */
export type NumericAnswer = (
  { value: number; tolerance: number } | { min: number; max: number }
) & { fraction: number; feedback?: string };

export interface NumericDefinition {
  answers: NumericAnswer[];
}

const accepts = (answer: NumericAnswer, n: number) =>
  'value' in answer
    ? Math.abs(n - answer.value) <= answer.tolerance + 1e-9
    : n >= answer.min - 1e-9 && n <= answer.max + 1e-9;

/** The best credit among the answers that hold the number: numeric and cloze blanks share it. */
export function numericCredit(answers: readonly NumericAnswer[], response: unknown): number {
  if (typeof response !== 'number' || !Number.isFinite(response)) return 0;
  return clamp01(
    Math.max(0, ...answers.filter((a) => accepts(a, response)).map((a) => a.fraction)),
  );
}

/** Isian angka: the best credit among the answers whose tolerance or range holds the number. */
@Injectable()
export class NumericType implements QuestionType<NumericDefinition, number> {
  readonly key = 'numeric';
  readonly label = { id: 'Isian angka', en: 'Numeric' };
  readonly picks = false as const;

  validate(definition: unknown): string[] {
    const answers = (definition as Partial<NumericDefinition> | null)?.answers;
    if (!Array.isArray(answers) || !answers.length)
      return ['answers must list at least one accepted value'];
    const problems = answers.flatMap((a: Partial<NumericAnswer> & Record<string, unknown>, i) => {
      const list: string[] = [];
      const exact =
        typeof a.value === 'number' && typeof a.tolerance === 'number' && a.tolerance >= 0;
      const range = typeof a.min === 'number' && typeof a.max === 'number' && a.min <= a.max;
      if (!exact && !range)
        list.push(`answers[${i}] needs value and tolerance (≥ 0), or min ≤ max`);
      if (typeof a.fraction !== 'number' || a.fraction < 0 || a.fraction > 1)
        list.push(`answers[${i}].fraction must be from 0 to 1 (0: feedback only)`);
      return list;
    });
    if (problems.length) return problems;
    return answers.some((a) => a.fraction === 1)
      ? []
      : ['one answer must carry full credit (fraction 1)'];
  }

  validateResponse(response: unknown): string[] {
    return typeof response === 'number' && Number.isFinite(response)
      ? []
      : ['response must be a number'];
  }

  candidateView() {
    return {};
  }

  grade(definition: NumericDefinition, response: number): GradeOutcome {
    return { fraction: numericCredit(definition.answers, response) };
  }
}
