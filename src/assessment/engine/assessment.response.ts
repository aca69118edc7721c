import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';

/**
 * An answer, whose type is the question's: an option id, a list of them, a boolean, a text, a
 * number, a matching's left id → right id, or a cloze's blank id → option id, number or
 * `{ text }`.
 */
export const ANSWER: ApiPropertyOptions = {
  // Null on a member: OpenAPI 3.0 reads `nullable` only beside a `type`.
  oneOf: [
    { type: 'string', nullable: true },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'array', items: { type: 'string' } },
    {
      type: 'object',
      additionalProperties: {
        oneOf: [
          { type: 'string' },
          { type: 'number' },
          { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
        ],
      },
    },
  ],
};

export class SectionSpecResponse {
  bankId: string;
  /** How many to draw at random (ignored when `questionIds` fixes them). */
  count: number;
  category?: string | null;
  competencyCode?: string | null;
  difficulty?: string | null;
  questionIds?: string[];
}

export class AudienceResponse {
  everyone: boolean;
  userIds?: string[];
  positionCodes?: string[];
  orgUnitCodes?: string[];
}

export class AssessmentAttestResponse {
  competencyCode: string;
  level: number;
}

export class AssessmentResponse {
  id: string;
  sector: string;
  title: string;
  instructions: string;
  sections: SectionSpecResponse[];
  shuffle: boolean;
  timeLimitMinutes: number | null;
  maxAttempts: number;
  scoring: 'highest' | 'last';
  passPercent: number;
  opensAt: string | null;
  closesAt: string | null;
  audience: AudienceResponse;
  reviewPolicy: 'none' | 'score' | 'correctness' | 'feedback' | 'answers';
  reviewAfterClose: boolean;
  attests: AssessmentAttestResponse[];
  layout: 'all' | 'one';
  /** Every attempt needs a supervised session (PIN, window, room). */
  supervised: boolean;
  status: 'draft' | 'published' | 'archived';
  questionCount: number;
  createdAt: string;
  updatedAt: string;
}

export class AttemptResultResponse {
  score: number | null;
  maxScore: number;
  percent: number;
  passed: boolean | null;
}

export class AttemptOverrideResponse {
  score?: number | null;
  slot: number;
  reason: string | null;
}

/** An option, or a matching item, under the attempt's opaque id (ADR 0010). */
export class AttemptChoiceResponse {
  id: string;
  text: string;
  /** Cloze: the blank whose drop-down offers this option. */
  blank?: string;
}

/** A blank of a cloze question, in the order of its `{#n}` placeholder in the stem. */
export class AttemptClozeBlankResponse {
  id: string;
  /** "Isian 1": the name the page gives its input. */
  label: string;
  kind: 'shortanswer' | 'multichoice' | 'numerical';
  weight: number;
  /** Multichoice shown as radio buttons instead of a drop-down. */
  display?: 'vertical' | 'horizontal';
}

/** One blank right or not (review policy `correctness` and above). */
export class AttemptClozeBlankResultResponse {
  label: string;
  correct: boolean;
  /** Under the policies that show feedback: the feedback of the answer given. */
  feedback?: string;
}

/** A question's answer in words: the candidate's and the right one (review policy `answers`). */
export class AttemptAnswerWordsResponse {
  yours: string[];
  /** Null where the question has no single right answer (an essay). */
  correct: string[] | null;
}

export class AttemptItemResponse {
  /** Choice types: the options to pick from. */
  options?: AttemptChoiceResponse[];
  /** Matching: the items to match, and what they match to. */
  left?: AttemptChoiceResponse[];
  right?: AttemptChoiceResponse[];
  /** Cloze: its blanks; a response gives each blank id an option id, a number or { text }. */
  blanks?: AttemptClozeBlankResponse[];
  /** Cloze, once reviewable: each blank right or not. */
  blankResults?: AttemptClozeBlankResultResponse[];
  feedback?: string[];
  generalFeedback?: string;
  graderComment?: string | null;
  score?: number | null;
  correct?: boolean | null;
  /** Only after the attempt is finished, and only under the review policy `answers`. */
  answer?: AttemptAnswerWordsResponse;
  /** The saved answer (DESIGN.md "Answer": by type), null before one; picks in this attempt's ids. */
  @ApiProperty(ANSWER)
  response: unknown;
  flagged: boolean;
  /** The sequence of the saved answer: a client continues from it. */
  seq: number;
  slot: number;
  type: string;
  stem: string;
  stemHtml: string;
  points: number;
}

export class ResultsAssessmentResponse {
  id: string;
  title: string;
  passPercent: number;
}

export class ResultsAttemptResponse {
  id: string;
  userId: string;
  name: string;
  nip: string | null;
  orgUnit: string | null;
  number: number;
  /** 'pretest' for a course's pre-test (never passes, never counts; ADR 0040). */
  @ApiProperty({ enum: ['pretest'], nullable: true, type: String })
  purpose: 'pretest' | null;
  status: 'in_progress' | 'submitted' | 'needs_grading' | 'graded' | 'voided';
  startedAt: string;
  deadline: string | null;
  secondsLeft: number | null;
  answered: number;
  questions: number;
  score: number | null;
  maxScore: number;
  percent: number | null;
  passed: boolean | null;
  counts: boolean;
}

export class AssessmentResultsResponse {
  assessment: ResultsAssessmentResponse;
  attempts: ResultsAttemptResponse[];
}

export class RegradeChangedResponse {
  attemptId: string;
  before: number | null;
  after: number | null;
}

export class RegradeKeptOverrideResponse {
  attemptId: string;
  slot: number;
  score: number | null;
  reason: string | null;
}

export class RegradeResponse {
  assessmentId: string;
  regraded: number;
  changed: RegradeChangedResponse[];
  overridesKept: RegradeKeptOverrideResponse[];
}

export class AttemptResponse {
  result?: AttemptResultResponse;
  overrides?: AttemptOverrideResponse[];
  id: string;
  assessmentId: string;
  title: string;
  /** 0 for a course's pre-test; the regular attempts are numbered from 1. */
  number: number;
  /** 'pretest' for a course's pre-test (never passes, gives nothing; ADR 0040); null otherwise. */
  @ApiProperty({ enum: ['pretest'], nullable: true, type: String })
  purpose: 'pretest' | null;
  status: 'in_progress' | 'submitted' | 'needs_grading' | 'graded' | 'voided';
  startedAt: string;
  deadline: string | null;
  submittedAt: string | null;
  /** Closed by its deadline: the answers saved by then were submitted automatically. */
  timedOut: boolean;
  serverTime: string;
  /** The supervised session it is sat in (null: unsupervised). */
  sessionId: string | null;
  /** Set while a proctor has paused it: the clock stands still, answers wait. */
  pausedAt: string | null;
  review: 'none' | 'score' | 'correctness' | 'feedback' | 'answers';
  /** Present (true) when the policy shows the right answers but the candidate may try again: they come after the last try. */
  answersAfterLastTry?: boolean;
  items: AttemptItemResponse[];
}

/** A saved answer: its slot, whether it was saved, and its sequence (the client continues from it). */
export class SavedAnswerResponse {
  slot: number;
  saved: boolean;
  seq: number;
  /** When it was saved (absent when the same answer was already saved). */
  savedAt?: string;
  flagged?: boolean;
  /** The answer as saved, in the attempt's opaque ids. */
  @ApiProperty({ ...ANSWER, required: false })
  response?: unknown;
}

export class GradingQueueItemResponse {
  attemptId: string;
  slot: number;
  assessmentId: string;
  assessmentTitle: string;
  candidate: string;
  submittedAt: string | null;
  type: string;
  points: number;
  stem: string;
  stemHtml: string;
  rubric: string;
  @ApiProperty(ANSWER)
  response: boolean | string | number | string[] | Record<string, string> | null;
}

/** A started attempt (201), or the open one returned again (200, `resumed: true`). */
export class StartedAttemptResponse extends AttemptResponse {
  resumed: boolean;
}
