import { Keyed } from './keyed-registry.js';
import { LocalisedText } from './sector-manifest.js';

/** Outcome of grading one response: a fraction of the item's points, or null when a person must grade it. */
export interface GradeOutcome {
  fraction: number;
}

/**
 * Where the ids of what a candidate picks stand: `values` names the list of the candidate
 * view whose ids a response gives as a string, as the items of an array, or as an object's
 * values; `keys` the list whose ids are an object's keys (matching: left → right).
 * The engine replaces those ids with opaque ones per attempt and slot, and maps them back
 * before the type validates or grades, so a type only ever sees its authoring ids.
 */
export interface PickSpec {
  values: string;
  keys?: string;
}

/**
 * A kind of question. Built-ins and sector types implement this and are registered in the
 * {@link QuestionTypeRegistry}.
 */
export interface QuestionType<Definition = unknown, Response = unknown> extends Keyed {
  readonly label: LocalisedText;
  /** Reasons the definition is unusable (empty when it is fine). */
  validate(definition: unknown): string[];
  /** Reasons the response is malformed for this type (empty when it is fine). */
  validateResponse(response: unknown): string[];
  /**
   * The lists a candidate picks from (see {@link PickSpec}); `false` when there are none.
   * Left out, the engine treats every list of `{ id }` in the candidate view as picked:
   * `left`/`right` as a matching, any other as `values`.
   */
  readonly picks?: PickSpec | false;
  /**
   * True when a person grades this type (an essay, a sector's observed practice): only such
   * items may be graded by hand (ADR 0020). Any other item is the machine's; an admin alone
   * may override it, with a reason, through the override route.
   */
  readonly manualGrading?: boolean;
  /** What the candidate sees of the definition: never the key, credits or feedback. */
  candidateView(definition: Definition): Record<string, unknown>;
  /**
   * Grades a response: a fraction of the points in [0, 1]; null means a person grades it.
   * A malformed response (unknown option, wrong shape) scores 0, never throws.
   */
  grade(definition: Definition, response: Response): GradeOutcome | null;
  /**
   * The right answer in words (one line per part), shown after a finished attempt only where
   * the assessment's review policy is `answers`. Left out, the review shows no key for it.
   */
  answerKey?(definition: Definition): string[] | null;
}

export interface EligibilityContext {
  userId: string;
  schemeKey: string;
  params: Record<string, unknown>;
}

/** One requirement a certification scheme can name, evaluated for a user. */
export interface EligibilityRule extends Keyed {
  readonly label: LocalisedText;
  evaluate(context: EligibilityContext): Promise<{ met: boolean; detail?: string }>;
}
