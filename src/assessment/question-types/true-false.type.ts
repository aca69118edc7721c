import { Injectable } from '@nestjs/common';
import { GradeOutcome, QuestionType } from '../../registry/extension-points.js';

export interface TrueFalseDefinition {
  answer: boolean;
}

/** Benar/Salah: the response is a boolean; right is full credit, anything else none. */
@Injectable()
export class TrueFalseType implements QuestionType<TrueFalseDefinition, boolean> {
  readonly key = 'true_false';
  readonly label = { id: 'Benar/Salah', en: 'True/false' };
  readonly picks = false as const;

  validate(definition: unknown): string[] {
    const answer = (definition as Partial<TrueFalseDefinition> | null)?.answer;
    return typeof answer === 'boolean' ? [] : ['answer must be true or false'];
  }

  validateResponse(response: unknown): string[] {
    return typeof response === 'boolean' ? [] : ['response must be true or false'];
  }

  candidateView() {
    return {};
  }

  grade(definition: TrueFalseDefinition, response: boolean): GradeOutcome {
    return { fraction: response === definition.answer ? 1 : 0 };
  }
}
