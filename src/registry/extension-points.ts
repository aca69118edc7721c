import { Keyed } from './keyed-registry.js';
import { LocalisedText } from './sector-manifest.js';

/** Outcome of grading one response: a fraction of the item's points, or null when a person must grade it. */
export interface GradeOutcome {
  fraction: number;
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
  /** What the candidate sees of the definition: never the key, credits or feedback. */
  candidateView(definition: Definition): Record<string, unknown>;
  /**
   * Grades a response: a fraction of the points in [0, 1]; null means a person grades it.
   * A malformed response (unknown option, wrong shape) scores 0, never throws.
   */
  grade(definition: Definition, response: Response): GradeOutcome | null;
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
