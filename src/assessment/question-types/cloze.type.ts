import { Injectable } from '@nestjs/common';
import type { GradeOutcome, QuestionType } from '../../registry/extension-points.js';
import {
  blankLabel,
  blankProblems,
  type ClozeBlank,
  type ClozeDefinition,
  type ClozeOption,
  MAX_BLANKS,
} from '../interchange/cloze-syntax.js';
import { clamp01, tidy } from './choice.js';
import { numericCredit } from './numeric.type.js';
import { MAX_TYPED, shortAnswerMatch } from './short-answer.type.js';

export type { ClozeBlank, ClozeDefinition };

/** One blank's answer: an option id (multichoice), a number, or typed text. */
export type ClozeAnswer = string | number | { text: string };

/** The candidate's answers by blank id. */
export type ClozeResponse = Record<string, ClozeAnswer>;

/** The text a candidate typed into a blank (a number as typed), or null when none. */
export function typedText(answer: unknown): string | null {
  if (typeof answer === 'number' && Number.isFinite(answer)) return String(answer);
  if (
    answer &&
    typeof answer === 'object' &&
    typeof (answer as { text?: unknown }).text === 'string'
  )
    return (answer as { text: string }).text;
  return null;
}

const numberOf = (answer: unknown): number | null => {
  if (typeof answer === 'number') return Number.isFinite(answer) ? answer : null;
  const text = typedText(answer)?.trim().replace(',', '.');
  if (!text) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
};

/**
 * What one blank's answer earns in [0, 1] and the option it chose or matched (multichoice,
 * short answer), whose feedback is the one to show; anything malformed or foreign scores 0
 * and matches nothing.
 */
export function blankOutcome(
  blank: ClozeBlank,
  answer: unknown,
): { credit: number; option?: ClozeOption } {
  if (answer === undefined || answer === null) return { credit: 0 };
  switch (blank.kind) {
    case 'multichoice': {
      const chosen = (blank.options ?? []).find((o) => o.id === answer);
      return chosen ? { credit: clamp01(chosen.fraction), option: chosen } : { credit: 0 };
    }
    case 'numerical':
      return { credit: numericCredit(blank.answers ?? [], numberOf(answer)) };
    default: {
      const matched = shortAnswerMatch(blank.options ?? [], typedText(answer), blank.caseSensitive);
      return matched
        ? { credit: clamp01(Math.max(0, matched.fraction)), option: matched }
        : { credit: 0 };
    }
  }
}

/** The credit of one blank's answer in [0, 1]; anything malformed or foreign scores 0. */
export function blankCredit(blank: ClozeBlank, answer: unknown): number {
  return blankOutcome(blank, answer).credit;
}

/** Each blank's outcome, in blank order: its credit and the option it chose or matched. */
export function blankOutcomes(
  definition: ClozeDefinition,
  response: unknown,
): { credit: number; option?: ClozeOption }[] {
  const given =
    response && typeof response === 'object' && !Array.isArray(response)
      ? (response as Record<string, unknown>)
      : {};
  return definition.blanks.map((b) =>
    Object.hasOwn(given, b.id) ? blankOutcome(b, given[b.id]) : { credit: 0 },
  );
}

/** Each blank's credit, in blank order: what the review and item analysis show per blank. */
export function blankCredits(definition: ClozeDefinition, response: unknown): number[] {
  return blankOutcomes(definition, response).map((o) => o.credit);
}

/**
 * Isian rumpang (Moodle's cloze, "embedded answers"): blanks inside the text, each a short
 * answer, a numerical answer or a drop-down; each weighs its own share of the points.
 * The text with its `{#n}` placeholders is the question's stem; the definition holds the
 * blanks. Multichoice options form one `options` list so the engine shuffles them and gives
 * them opaque ids per attempt like any other choice (ADR 0010, ADR 0035).
 */
@Injectable()
export class ClozeType implements QuestionType<ClozeDefinition, ClozeResponse> {
  readonly key = 'cloze';
  readonly label = { id: 'Isian rumpang (cloze)', en: 'Cloze (embedded answers)' };
  readonly picks = { values: 'options' };

  validate(definition: unknown): string[] {
    const blanks = (definition as Partial<ClozeDefinition> | null)?.blanks;
    if (!Array.isArray(blanks) || !blanks.length) return ['blanks must list at least one blank'];
    if (blanks.length > MAX_BLANKS) return [`blanks may list at most ${MAX_BLANKS} blanks`];
    const problems = blanks.flatMap((b: Partial<ClozeBlank>, i) =>
      blankProblems(b ?? {}, i).map((p) => `blanks[${i}] ${p}`),
    );
    const ids = blanks.map((b: Partial<ClozeBlank>) => b?.id);
    if (ids.some((id) => typeof id !== 'string' || !id) || new Set(ids).size !== ids.length)
      problems.push('blanks need unique ids');
    const options = blanks.flatMap((b: Partial<ClozeBlank>) => b?.options ?? []).map((o) => o?.id);
    if (new Set(options).size !== options.length)
      problems.push('option ids must be unique across the blanks');
    if (!problems.length && !blanks.some((b: ClozeBlank) => b.weight > 0))
      problems.push('at least one blank must weigh more than 0');
    return problems;
  }

  validateResponse(response: unknown): string[] {
    if (!response || typeof response !== 'object' || Array.isArray(response))
      return ['response must give each blank id its answer'];
    const entries = Object.entries(response as Record<string, unknown>);
    const bad = entries.find(([, v]) => typeof v !== 'string' && typedText(v) === null);
    if (bad) return [`response.${bad[0]} must be an option id, a number or { "text": "…" }`];
    // What a candidate types into a blank is as short as a short answer (the matching of
    // wildcards then stays cheap on every view too).
    const long = entries.find(([, v]) => (typedText(v)?.length ?? 0) > MAX_TYPED);
    return long ? [`response.${long[0]} must be at most ${MAX_TYPED} characters`] : [];
  }

  candidateView(definition: ClozeDefinition) {
    return {
      blanks: definition.blanks.map((b, i) => ({
        id: b.id,
        label: blankLabel(i),
        kind: b.kind,
        weight: b.weight,
        ...(b.kind === 'multichoice' && b.display && { display: b.display }),
      })),
      // Only the text of each option, not its credit, its feedback or its place in the blank.
      options: definition.blanks.flatMap((b) =>
        b.kind === 'multichoice'
          ? (b.options ?? []).map((o) => ({ id: o.id, text: o.text, blank: b.id }))
          : [],
      ),
    };
  }

  grade(definition: ClozeDefinition, response: ClozeResponse): GradeOutcome {
    const credits = blankCredits(definition, response);
    const total = definition.blanks.reduce((s, b) => s + b.weight, 0);
    if (!total) return { fraction: 0 };
    const earned = definition.blanks.reduce((s, b, i) => s + b.weight * credits[i], 0);
    return { fraction: clamp01(tidy(earned / total)) };
  }

  answerKey(definition: ClozeDefinition): string[] {
    return definition.blanks.map((b, i) => {
      const right =
        b.kind === 'numerical'
          ? (b.answers ?? [])
              .filter((a) => a.fraction === 1)
              .map((a) => (a.tolerance ? `${a.value} (± ${a.tolerance})` : String(a.value)))
          : (b.options ?? []).filter((o) => o.fraction === 1).map((o) => o.text);
      return `${blankLabel(i)}: ${right.join(' / ')}`;
    });
  }
}
