import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../platform/auth/auth-user.js';
import type { CourseView } from './courses.service.js';

/** An exam that follows a course: one of its assessment lessons, or one a scheme asks for. */
export interface NextExam {
  id: string;
  title: string;
  url: string;
  passed: boolean;
}

/** A certification scheme the course counts toward, and what the learner still lacks for it. */
export interface NextScheme {
  id: string;
  code: string;
  title: string;
  url: string;
  /** Every requirement is met (the certificate is issued or about to be). */
  met: boolean;
  /** The requirements not met yet, in words (Bahasa Indonesia, as the schemes name them). */
  missing: string[];
}

export interface NextStep {
  exams: NextExam[];
  schemes: NextScheme[];
}

/** The course as a source needs it: its code (schemes name courses by code) and competencies. */
export interface NextStepCourse {
  id: string;
  code: string;
  competencies: { code: string; level: number }[];
  /** The assessments its assessment lessons open. */
  assessmentIds: string[];
}

/** A domain that knows what follows a course (certification: its exams and schemes). */
export interface NextStepSource {
  forCourse(user: AuthUser, course: NextStepCourse): Promise<NextStep>;
}

/**
 * What follows a finished course. Learning cannot import certification (certification imports
 * learning), so certification registers itself here at boot, as the gap recommenders do.
 */
@Injectable()
export class CourseNextSteps {
  private readonly sources: NextStepSource[] = [];

  register(source: NextStepSource): void {
    this.sources.push(source);
  }

  async forCourse(user: AuthUser, course: NextStepCourse): Promise<NextStep> {
    const parts = await Promise.all(this.sources.map((s) => s.forCourse(user, course)));
    const exams = new Map<string, NextExam>();
    for (const part of parts) for (const exam of part.exams) exams.set(exam.id, exam);
    return { exams: [...exams.values()], schemes: parts.flatMap((p) => p.schemes) };
  }
}

/** What the next-step sources need of a course. */
export const nextStepCourse = (course: CourseView): NextStepCourse => ({
  id: course.id,
  code: course.code,
  competencies: course.competencies,
  assessmentIds: (course.lessons ?? []).flatMap((l) => (l.assessmentId ? [l.assessmentId] : [])),
});
