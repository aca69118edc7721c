import { ApiProperty } from '@nestjs/swagger';
import { DELIVERY_MODES, type DeliveryMode } from './course.entity.js';
export class CourseCompetencyResponse {
  code: string;
  level: number;
}

export class LessonFileResponse {
  name: string;
  size: number;
}

export class LessonResponse {
  id: string;
  position: number;
  section: string | null;
  title: string;
  kind: string;
  body: string | null;
  url: string | null;
  linkNote: string | null;
  file: LessonFileResponse | null;
  required: boolean;
  /** The assessment to pass (kind assessment). */
  assessmentId: string | null;
  durationMinutes: number;
  /** How long the lesson must be open before it can be marked done (ADR 0011). */
  minStudySeconds: number;
}

export class CourseResponse {
  id: string;
  code: string;
  version: number;
  status: string;
  sector: string;
  title: string;
  summary: string;
  objectives: string[];
  competencies: CourseCompetencyResponse[];
  jp: number;
  durationMinutes: number;
  /** Share of each lesson's stated minutes it must be open before it can be marked done. */
  minStudyPercent: number;
  /** Or fixed minutes per lesson (when set, instead of the share). */
  minStudyMinutes: number | null;
  /** May be credited again in a year it already was (ADR 0018); false: once a year across versions. */
  repeatable: boolean;
  /** Estimated cost per participant in whole rupiah (ADR 0040); null: unknown. */
  costIdr: number | null;
  /** How the course is delivered; null: not said. */
  @ApiProperty({ enum: DELIVERY_MODES, nullable: true, type: String })
  deliveryMode: DeliveryMode | null;
  /** Enrolled learners may sit a pre-test on the course's assessment before studying. */
  preTest: boolean;
  /** The reaction questionnaire's statements; null: the platform's default items. */
  reactionItems: string[] | null;
  publishedAt: string | null;
  lessons?: LessonResponse[];
}

export class EnrollmentProgressResponse {
  completed: number;
  required: number;
  percent: number;
  /** Whether any lesson was opened. */
  started: boolean;
  /** Where to pick up: the first unfinished required lesson (else any unfinished one). */
  resumeLessonId: string | null;
}

export class LessonProgressResponse {
  lessonId: string;
  openedAt: string | null;
  completedAt: string | null;
  /** The minimum study time the course asks of this lesson now. */
  minStudySeconds: number;
  /** The minimum its completion met (null before completion, or when an exam pass completed it). */
  requiredSeconds: number | null;
  /** When it may be marked done (null: not opened yet, or already done). */
  completableAt: string | null;
  /** Seconds still to wait before it may be marked done (0 when it may, or is done). */
  remainingSeconds: number;
}

export class EnrollmentResponse {
  id: string;
  status: string;
  course: CourseResponse;
  dueAt: string | null;
  enrolledAt: string;
  completedAt: string | null;
  progress: EnrollmentProgressResponse;
  lessons: LessonProgressResponse[];
}

export class BulkEnrollmentResponse {
  enrolled: number;
  alreadyEnrolled: number;
  unknown: string[];
}

export class EnrolledPersonResponse {
  id: string;
  name: string;
  nip: string | null;
}

export class LessonTrailResponse {
  lessonId: string;
  title: string;
  kind: string;
  required: boolean;
  durationMinutes: number;
  openedAt: string | null;
  completedAt: string | null;
  /** Minutes of study the completion met (null: by an exam pass, or before the rule). */
  requiredMinutes: number | null;
  /** Minutes between opening and completing. */
  elapsedMinutes: number | null;
}

export class CourseEnrollmentRowResponse {
  id: string;
  user: EnrolledPersonResponse;
  status: 'active' | 'completed';
  dueAt: string | null;
  completedAt: string | null;
  /** Each lesson opened, completed and the minimum it met (ADR 0011). */
  trail: LessonTrailResponse[];
}

export class CourseEnrollmentsResponse {
  total: number;
  completed: number;
  items: CourseEnrollmentRowResponse[];
}

export class JpCreditResponse {
  title: string;
  jp: number;
  source: string;
  /** The enrolment a course credit came from: its study trail is at `/enrollments/:id/trail`. */
  enrollmentId: string | null;
  /** The course (identity across versions) and version a course line came from. */
  courseCode: string | null;
  courseVersion: number | null;
  /** False when the line was refused: the course was already credited this year (ADR 0018). */
  counted: boolean;
  /** The version credited before, when refused. */
  refusedVersion: number | null;
  /** Why the line counts no JP, in Bahasa Indonesia; null when it counts. */
  note: string | null;
  startedAt: string;
  completedAt: string;
  trail: LessonTrailResponse[] | null;
}

export class JpResponse {
  year: number;
  target: number;
  total: number;
  credits: JpCreditResponse[];
}

export class StudyTrailUserResponse {
  id: string;
  name: string;
  nip: string | null;
}

export class StudyTrailCourseResponse {
  id: string;
  code: string;
  version: number;
  title: string;
  jp: number;
}

export class StudyTrailResponse {
  enrollmentId: string;
  status: string;
  user: StudyTrailUserResponse;
  course: StudyTrailCourseResponse;
  enrolledAt: string;
  completedAt: string | null;
  lessons: LessonTrailResponse[];
}

export class ReadLessonResponse {
  enrollmentId: string;
  lesson: LessonResponse;
  progress: LessonProgressResponse;
}

export class JpLedgerRowResponse {
  nip: string;
  name: string;
  orgUnit: string;
  title: string;
  type: string;
  /** The day, `YYYY-MM-DD`. */
  startedAt: string;
  /** The day, `YYYY-MM-DD`. */
  completedAt: string;
  jp: number;
}

/** `GET /reports/jp` as JSON: the year's counted JP lines, by unit, name and date. */
export class JpLedgerResponse {
  year: number;
  rows: JpLedgerRowResponse[];
}
