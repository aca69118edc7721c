import { Injectable } from '@nestjs/common';
import type { GradeOutcome, QuestionType } from '../../registry/extension-points.js';
import { type ChoiceDefinition, choiceView, clamp01, optionProblems } from './choice.js';

/** Pilihan ganda: one option; its credit counts (the best option carries full credit). */
@Injectable()
export class SingleChoiceType implements QuestionType<ChoiceDefinition, string> {
  readonly key = 'single_choice';
  readonly label = { id: 'Pilihan ganda', en: 'Single choice' };
  readonly picks = { values: 'options' };

  validate(definition: unknown): string[] {
    const problems = optionProblems(definition);
    if (problems.length) return problems;
    const best = Math.max(...(definition as ChoiceDefinition).options.map((o) => o.fraction));
    return best === 1 ? [] : ['one option must carry full credit (fraction 1)'];
  }

  validateResponse(response: unknown): string[] {
    return typeof response === 'string' && response ? [] : ['response must be an option id'];
  }

  candidateView(definition: ChoiceDefinition) {
    return choiceView(definition);
  }

  grade(definition: ChoiceDefinition, response: string): GradeOutcome {
    const chosen = definition.options.find((o) => o.id === response);
    return { fraction: chosen ? clamp01(chosen.fraction) : 0 };
  }
}
