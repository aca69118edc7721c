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

/** The most a candidate may type into a short answer or a cloze blank: longer is refused. */
export const MAX_TYPED = 500;

/**
 * Whether the normalised text matches the accepted answer, `*` matching any run of characters
 * and everything else literal; the whole text must match. A walk over the fixed pieces (the
 * first anchored at the start, the last at the end, each other one found leftmost after the
 * one before), so the work grows with the text, never with its wildcards: a regular
 * expression of several `.*` backtracks for minutes on a few thousand typed characters.
 */
export function wildcardMatches(pattern: string, text: string): boolean {
  const pieces = pattern.split('*');
  if (pieces.length === 1) return pattern === text;
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (text.length < first.length + last.length) return false;
  if (!text.startsWith(first) || !text.endsWith(last)) return false;
  const end = text.length - last.length;
  let at = first.length;
  for (const piece of pieces.slice(1, -1)) {
    if (!piece) continue;
    const found = text.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

/**
 * The accepted answer the text matches with the best credit (the first of equals), or
 * undefined: spacing never counts, the case of letters only when asked. Its feedback is the
 * one the candidate sees.
 */
export function shortAnswerMatch<A extends { text: string; fraction: number }>(
  answers: readonly A[],
  response: unknown,
  caseSensitive = false,
): A | undefined {
  if (typeof response !== 'string' || !response.trim()) return undefined;
  const given = normalise(response, caseSensitive);
  let best: A | undefined;
  for (const a of answers)
    if (
      typeof a?.text === 'string' &&
      (!best || a.fraction > best.fraction) &&
      wildcardMatches(normalise(a.text, caseSensitive), given)
    )
      best = a;
  return best;
}

/**
 * The best credit among the accepted answers the text matches (spacing never counts; the case
 * of letters only when asked): shared by short answer and the cloze's short-answer blanks.
 */
export function shortAnswerCredit(
  answers: readonly { text: string; fraction: number }[],
  response: unknown,
  caseSensitive = false,
): number {
  const matched = shortAnswerMatch(answers, response, caseSensitive);
  return matched ? clamp01(Math.max(0, matched.fraction)) : 0;
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
    if (typeof response !== 'string') return ['response must be text'];
    return response.length > MAX_TYPED ? [`response must be at most ${MAX_TYPED} characters`] : [];
  }

  candidateView() {
    return {};
  }

  grade(definition: ShortAnswerDefinition, response: string): GradeOutcome {
    return { fraction: shortAnswerCredit(definition.answers, response) };
  }
}
