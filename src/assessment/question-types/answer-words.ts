import type { QuestionType } from '../../registry/extension-points.js';
import type { ChoiceDefinition } from './choice.js';
import { blankLabel } from '../interchange/cloze-syntax.js';
import { type ClozeDefinition, typedText } from './cloze.type.js';
import type { MatchingDefinition } from './matching.type.js';
import type { NumericAnswer, NumericDefinition } from './numeric.type.js';
import type { ShortAnswerDefinition } from './short-answer.type.js';

/** The words for true and false in the reader's language. */
export interface BooleanWords {
  yes: string;
  no: string;
}

/** A response and the key, in words: what the result page prints when the policy shows answers. */
export interface AnswerWords {
  /** The candidate's answer, one line per part; empty when unanswered. */
  yours: string[];
  /** The right answer, one line per part; null where there is none to show (an essay). */
  correct: string[] | null;
}

type Listed = { id: string; text: string };

/** Every `{ id, text }` list of a definition, by id: a sector type's picks in words. */
const textsOf = (definition: Record<string, unknown>) => {
  const out = new Map<string, string>();
  for (const list of Object.values(definition))
    if (Array.isArray(list))
      for (const entry of list as Partial<Listed>[])
        if (typeof entry?.id === 'string' && typeof entry.text === 'string')
          out.set(entry.id, entry.text);
  return out;
};

const numberText = (n: number) => String(n).replace('.', ',');
const numericText = (a: NumericAnswer) =>
  'value' in a
    ? a.tolerance
      ? `${numberText(a.value)} (± ${numberText(a.tolerance)})`
      : numberText(a.value)
    : `${numberText(a.min)} – ${numberText(a.max)}`;

/**
 * The key of a question in words, from its authoring definition. Only the review of a finished
 * attempt whose policy is `answers` calls this: the key never reaches a candidate otherwise.
 */
export function answerKey(
  typeKey: string,
  definition: unknown,
  words: BooleanWords,
  type?: QuestionType,
): string[] | null {
  const d = (definition ?? {}) as Record<string, unknown>;
  switch (typeKey) {
    case 'single_choice': {
      const options = (d as unknown as ChoiceDefinition).options ?? [];
      const best = Math.max(...options.map((o) => o.fraction));
      return options.filter((o) => o.fraction === best).map((o) => o.text);
    }
    case 'multiple_response':
      return ((d as unknown as ChoiceDefinition).options ?? [])
        .filter((o) => o.fraction > 0)
        .map((o) => o.text);
    case 'true_false':
      return [d.answer === true ? words.yes : words.no];
    case 'short_answer':
      return ((d as unknown as ShortAnswerDefinition).answers ?? [])
        .filter((a) => a.fraction >= 1)
        .map((a) => a.text);
    case 'numeric':
      return ((d as unknown as NumericDefinition).answers ?? [])
        .filter((a) => a.fraction >= 1)
        .map(numericText);
    case 'matching': {
      const m = d as unknown as MatchingDefinition;
      const right = new Map((m.right ?? []).map((r) => [r.id, r.text]));
      return (m.left ?? []).map((l) => `${l.text} → ${right.get(m.key?.[l.id]) ?? '–'}`);
    }
    case 'essay':
      return null;
    default:
      return type?.answerKey?.(definition) ?? null;
  }
}

/** The candidate's response (authoring ids) in words, by the texts its definition gives. */
export function responseWords(
  typeKey: string,
  definition: unknown,
  response: unknown,
  words: BooleanWords,
): string[] {
  if (response === null || response === undefined || response === '') return [];
  const d = (definition ?? {}) as Record<string, unknown>;
  const texts = textsOf(d);
  const named = (id: unknown) => (typeof id === 'string' ? (texts.get(id) ?? id) : String(id));
  if (typeKey === 'true_false') return [response === true ? words.yes : words.no];
  if (typeKey === 'cloze') {
    const given = (typeof response === 'object' ? response : {}) as Record<string, unknown>;
    return ((d as unknown as ClozeDefinition).blanks ?? []).map((b, i) => {
      const answer = given[b.id];
      const option = b.options?.find((o) => b.kind === 'multichoice' && o.id === answer);
      return `${blankLabel(i)}: ${option?.text ?? typedText(answer) ?? '–'}`;
    });
  }
  if (typeKey === 'numeric' && typeof response === 'number') return [numberText(response)];
  if (typeof response === 'string') return [texts.get(response) ?? response];
  if (Array.isArray(response)) {
    // An ordering gives its steps in order; a multiple response its chosen options.
    const ordered = typeKey !== 'multiple_response';
    return response.map((id, i) => (ordered ? `${i + 1}. ${named(id)}` : named(id)));
  }
  if (typeof response === 'object')
    return Object.entries(response as Record<string, unknown>).map(
      ([left, right]) => `${named(left)} → ${named(right)}`,
    );
  return [String(response)];
}
