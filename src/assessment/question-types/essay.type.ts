import { Injectable } from '@nestjs/common';
import type { QuestionType } from '../../registry/extension-points.js';

export interface EssayDefinition {
  /** Guidance for the grader, never shown to the candidate. */
  rubric?: string;
}

/** Uraian: free text, graded by a person with the rubric. */
@Injectable()
export class EssayType implements QuestionType<EssayDefinition, string> {
  readonly key = 'essay';
  readonly label = { id: 'Uraian', en: 'Essay' };
  readonly picks = false as const;
  readonly manualGrading = true;

  validate(definition: unknown): string[] {
    const rubric = (definition as EssayDefinition | null)?.rubric;
    return rubric === undefined || typeof rubric === 'string' ? [] : ['rubric must be text'];
  }

  validateResponse(response: unknown): string[] {
    return typeof response === 'string' && response.length <= 50_000
      ? []
      : ['response must be text of at most 50,000 characters'];
  }

  candidateView() {
    return {};
  }

  grade(): null {
    return null;
  }
}
