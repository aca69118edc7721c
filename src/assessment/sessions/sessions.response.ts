import { ApiProperty } from '@nestjs/swagger';

const SEAT_STATES = [
  'assigned',
  'absent',
  'locked',
  'in_progress',
  'paused',
  'submitted',
  'needs_grading',
  'graded',
  'voided',
] as const;

export class SessionSummaryResponse {
  id: string;
  assessmentId: string;
  title: string;
  sector: string;
  startsAt: string;
  endsAt: string;
  location: string;
  capacity: number;
  selfBooking: boolean;
  boardShowsNames: boolean;
  status: 'scheduled' | 'closed';
  closedAt: string | null;
}

export class AssessmentSessionResponse extends SessionSummaryResponse {
  seatsTaken: number;
  seatsLeft: number;
  /** The caller's participant number in it, if they have a seat. */
  mySeat: number | null;
}

export class SessionPersonResponse {
  id: string;
  name: string;
}

export class ConsoleCandidateResponse {
  seat: number;
  userId: string;
  nip: string | null;
  name: string;
  @ApiProperty({ enum: SEAT_STATES })
  state: (typeof SEAT_STATES)[number];
  pinFailures: number;
  checkedInAt: string | null;
  attemptId: string | null;
  startedAt: string | null;
  deadline: string | null;
  pausedAt: string | null;
  secondsLeft: number | null;
  answered: number;
  questions: number;
  submittedAt: string | null;
  /** Null unless the review policy lets candidates see scores now. */
  score: number | null;
  percent: number | null;
  passed: boolean | null;
}

export class SessionIncidentResponse {
  kind: string;
  userId: string | null;
  name: string | null;
  attemptId: string | null;
  minutes: number | null;
  reason: string;
  actor: SessionPersonResponse | null;
  at: string;
}

/** The proctor's console: the session, its current PIN, every seat and every incident. */
export class SessionConsoleResponse extends SessionSummaryResponse {
  serverTime: string;
  /** The PIN valid now (null once closed); re-drawn every `pinMinutes`. */
  pin: string | null;
  pinExpiresAt: string | null;
  ipRanges: string[];
  pinMinutes: number;
  proctors: SessionPersonResponse[];
  candidates: ConsoleCandidateResponse[];
  incidents: SessionIncidentResponse[];
}

export class AssignedCandidatesResponse {
  assigned: string[];
  alreadyAssigned: string[];
  seatsLeft: number;
}

export class MySessionResponse {
  id: string;
  assessmentId: string;
  title: string;
  startsAt: string;
  endsAt: string;
  location: string;
  status: 'scheduled' | 'closed';
  seat: number;
  seatStatus: 'assigned' | 'absent';
  locked: boolean;
  attemptId: string | null;
}

export class BoardRowResponse {
  seat: number;
  /** Masked: only the month of appointment shows. */
  nip: string | null;
  /** Only when the session shows names. */
  name?: string;
  @ApiProperty({ enum: ['waiting', 'in_progress', 'finished', 'absent', 'voided'] })
  state: 'waiting' | 'in_progress' | 'finished' | 'absent' | 'voided';
  answered: number;
  questions: number;
  score: number | null;
  percent: number | null;
  passed: boolean | null;
}

/** The public results board of a session. */
export class SessionBoardResponse {
  id: string;
  title: string;
  location: string;
  startsAt: string;
  endsAt: string;
  status: 'scheduled' | 'closed';
  showsScores: boolean;
  showsNames: boolean;
  passPercent: number | null;
  updatedAt: string;
  rows: BoardRowResponse[];
}

export class SessionMinutesResponse {
  version: number;
  sha256: string;
  /** The id of the minutes this one corrects (null: the first). */
  correctsId: string | null;
  correction: string | null;
  createdAt: string;
  url: string;
}

export class ClosedSessionResponse {
  id: string;
  status: 'scheduled' | 'closed';
  closedAt: string;
  minutes: SessionMinutesResponse;
}

/** An attempt after a proctor's action. */
export class SupervisedAttemptResponse {
  id: string;
  assessmentId: string;
  status?: 'in_progress' | 'submitted' | 'needs_grading' | 'graded' | 'voided';
  deadline: string | null;
  pausedAt: string | null;
}

export class TrailEntryResponse {
  slot: number;
  seq: number;
  /** The answer in authoring ids, as graded. */
  @ApiProperty({ nullable: true })
  response: unknown;
  at: string;
  deviceSession: string | null;
  ip: string | null;
}

export class AnswerTrailResponse {
  attemptId: string;
  userId: string;
  sessionId: string | null;
  status: 'in_progress' | 'submitted' | 'needs_grading' | 'graded' | 'voided';
  entries: TrailEntryResponse[];
}
