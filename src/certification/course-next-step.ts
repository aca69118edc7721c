import { Injectable } from '@nestjs/common';
import { AssessmentRecords } from '../assessment/engine/assessment-records.js';
import { AssessmentsService } from '../assessment/engine/assessments.service.js';
import type { NextStep, NextStepCourse, NextStepSource } from '../learning/course-next-steps.js';
import type { AuthUser } from '../platform/auth/auth-user.js';
import { CertificateEligibility } from './certificate-eligibility.js';

/**
 * After a course: the exams that follow it (its own assessment lessons, those a scheme
 * requiring the course asks for, those attesting one of its competencies) and the schemes it
 * counts toward, each with what is still missing. Only exams the learner may sit are named.
 */
@Injectable()
export class CourseNextStep implements NextStepSource {
  constructor(
    private readonly eligibility: CertificateEligibility,
    private readonly assessments: AssessmentsService,
    private readonly records: AssessmentRecords,
  ) {}

  async forCourse(user: AuthUser, course: NextStepCourse): Promise<NextStep> {
    const schemes = (await this.eligibility.activeSchemes()).filter((s) =>
      s.requirements.courses.includes(course.code),
    );
    const wanted = new Set([
      ...course.assessmentIds,
      ...schemes.flatMap((s) => s.requirements.assessments.map((a) => a.assessmentId)),
    ]);
    const competencies = new Set(course.competencies.map((c) => c.code));
    const open = (await this.assessments.availableTo(user)).filter(
      (a) => wanted.has(a.id) || a.attests.some((k) => competencies.has(k.competencyCode)),
    );
    const passed = await this.records.passedAssessmentIds(
      user.id,
      open.map((a) => a.id),
    );
    return {
      exams: open.map((a) => ({
        id: a.id,
        title: a.title,
        url: `/ujian/${a.id}`,
        passed: passed.has(a.id),
      })),
      schemes: await Promise.all(
        schemes.map(async (scheme) => {
          const requirements = await this.eligibility.progressOf(scheme, user.id);
          const missing = requirements
            .filter((r) => !r.met)
            .map((r) => (r.detail ? `${r.label} — ${r.detail}` : r.label));
          return {
            id: scheme.id,
            code: scheme.code,
            title: scheme.title,
            url: '/sertifikat#skema',
            met: !missing.length,
            missing,
          };
        }),
      ),
    };
  }
}
