import { Injectable } from '@nestjs/common';
import type { GradeOutcome, QuestionType } from '../../registry/extension-points.js';
import { type ChoiceDefinition, choiceView, clamp01, optionProblems, tidy } from './choice.js';

/**
 * Pilihan ganda kompleks: any number of options. Right options share the credit, wrong
 * ones subtract theirs, and the total never goes below zero or above one.
 */
@Injectable()
export class MultipleResponseType implements QuestionType<ChoiceDefinition, string[]> {
  readonly key = 'multiple_response';
  readonly label = { id: 'Pilihan ganda kompleks', en: 'Multiple response' };
  readonly picks = { values: 'options' };

  validate(definition: unknown): string[] {
    const problems = optionProblems(definition);
    if (problems.length) return problems;
    const positive = (definition as ChoiceDefinition).options
      .filter((o) => o.fraction > 0)
      .reduce((sum, o) => sum + o.fraction, 0);
    return Math.abs(positive - 1) < 0.01 ? [] : ['the positive credits must add up to 1'];
  }

  validateResponse(response: unknown): string[] {
    return Array.isArray(response) && response.every((r) => typeof r === 'string')
      ? []
      : ['response must be a list of option ids'];
  }

  candidateView(definition: ChoiceDefinition) {
    return choiceView(definition);
  }

  grade(definition: ChoiceDefinition, response: string[]): GradeOutcome {
    if (!Array.isArray(response)) return { fraction: 0 };
    const chosen = new Set(response);
    const total = definition.options
      .filter((o) => chosen.has(o.id))
      .reduce((sum, o) => sum + o.fraction, 0);
    // Credits written as 33.3333 % three times add up to 0.999999: every right option
    // chosen and no wrong one is full credit, so the sum is read against the positives'.
    const positive = definition.options
      .filter((o) => o.fraction > 0)
      .reduce((sum, o) => sum + o.fraction, 0);
    return { fraction: tidy(clamp01(positive > 0 ? total / positive : 0)) };
  }
}
