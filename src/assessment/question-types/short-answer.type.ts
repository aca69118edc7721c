import { Injectable } from '@nestjs/common';
import type { GradeOutcome, QuestionType } from '../../registry/extension-points.js';
import { clamp01 } from './choice.js';

export interface ShortAnswerDefinition {
  answers: { text: string; fraction: number; feedback?: string }[];
}

const normalise = (text: string, caseSensitive = false) => {
  const spaced = text.trim().replace(/\s+/g, ' ');
  return caseSensitive ? spaced : spaced.toLowerCase();
};

/** `*` matches any run of characters; everything else is literal. */
const matcher = (pattern: string, caseSensitive = false) =>
  new RegExp(
    '^' +
      normalise(pattern, caseSensitive)
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*') +
      '$',
    's',
  );

/**
 * The best credit among the accepted answers the text matches (spacing never counts; the case
 * of letters only when asked): shared by short answer and the cloze's short-answer blanks.
 */
export function shortAnswerCredit(
  answers: readonly { text: string; fraction: number }[],
  response: unknown,
  caseSensitive = false,
): number {
  if (typeof response !== 'string' || !response.trim()) return 0;
  const given = normalise(response, caseSensitive);
  return clamp01(
    Math.max(
      0,
      ...answers.filter((a) => matcher(a.text, caseSensitive).test(given)).map((a) => a.fraction),
    ),
  );
}

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
    return { fraction: shortAnswerCredit(definition.answers, response) };
  }
}
