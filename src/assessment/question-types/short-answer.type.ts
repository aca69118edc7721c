import { Injectable } from '@nestjs/common';
import type { GradeOutcome, QuestionType } from '../../registry/extension-points.js';
import { clamp01 } from './choice.js';

export interface ShortAnswerDefinition {
  answers: { text: string; fraction: number; feedback?: string }[];
}

const normalise = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/** `*` matches any run of characters; everything else is literal. */
const matcher = (pattern: string) =>
  new RegExp(
    '^' +
      normalise(pattern)
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*') +
      '$',
    's',
  );

/** Isian singkat: accepted answers with their own credit; case and spacing do not matter. */
@Injectable()
export class ShortAnswerType implements QuestionType<ShortAnswerDefinition, string> {
  readonly key = 'short_answer';
  readonly label = { id: 'Isian singkat', en: 'Short answer' };
  readonly picks = false as const;

  validate(definition: unknown): string[] {
    const answers = (definition as Partial<ShortAnswerDefinition> | null)?.answers;
    if (!Array.isArray(answers) || !answers.length)
      return ['answers must list at least one accepted answer'];
    const problems = answers.flatMap((a, i) => [
      ...(typeof a?.text === 'string' && a.text.trim() ? [] : [`answers[${i}].text is required`]),
      ...(typeof a?.fraction === 'number' && a.fraction >= 0 && a.fraction <= 1
        ? []
        : [`answers[${i}].fraction must be from 0 to 1 (0: feedback only)`]),
    ]);
    if (problems.length) return problems;
    return answers.some((a) => a.fraction === 1)
      ? []
      : ['one answer must carry full credit (fraction 1)'];
  }

  validateResponse(response: unknown): string[] {
    return typeof response === 'string' ? [] : ['response must be text'];
  }

  candidateView() {
    return {};
  }

  grade(definition: ShortAnswerDefinition, response: string): GradeOutcome {
    if (typeof response !== 'string' || !response.trim()) return { fraction: 0 };
    const given = normalise(response);
    const best = Math.max(
      0,
      ...definition.answers.filter((a) => matcher(a.text).test(given)).map((a) => a.fraction),
    );
    return { fraction: clamp01(best) };
  }
}
