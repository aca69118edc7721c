import { AssessmentModule } from '../assessment/assessment.module.js';
import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CompetencyModule } from '../competency/competency.module.js';
import { GapRecommenderRegistry } from '../competency/recommendations.js';
import { OrgUnit } from '../identity/org-unit.entity.js';
import { User } from '../identity/user.entity.js';
import { CourseNextSteps } from './course-next-steps.js';
import { CourseRecommender } from './course-recommender.js';
import { Course, Lesson } from './course.entity.js';
import { CourseEvaluationFacts } from './course-evaluation-facts.js';
import { CoursePackImport } from './course-pack-import.js';
import { CoursePretests } from './course-pretest.js';
import { LearningDemoService } from './learning-demo.service.js';
import { CourseRecords } from './course-records.js';
import { CoursePlanCatalogue } from './course-plan-catalogue.js';
import { CoursesService } from './courses.service.js';
import { Enrollment, JpCredit, LessonProgress } from './enrollment.entity.js';
import { EnrollmentsService } from './enrollments.service.js';
import { LearningPersonalData } from './learning.personal-data.js';
import { CoursesController, LearningController } from './learning.controller.js';
import { LearningPages } from './learning.pages.js';
import { CourseAuthoringPages } from './course-authoring.pages.js';

/** Courses, lessons, enrolment, progress, completion and the JP ledger. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Course, Lesson, Enrollment, LessonProgress, JpCredit, User, OrgUnit]),
    CompetencyModule,
    AssessmentModule,
  ],
  controllers: [CoursesController, LearningController, LearningPages, CourseAuthoringPages],
  providers: [
    CourseEvaluationFacts,
    CoursesService,
    EnrollmentsService,
    LearningPersonalData,
    CourseRecords,
    CoursePlanCatalogue,
    CourseRecommender,
    CourseNextSteps,
    CoursePackImport,
    CoursePretests,
    LearningDemoService,
  ],
  exports: [
    CourseEvaluationFacts,
    CoursesService,
    EnrollmentsService,
    CourseRecords,
    CoursePlanCatalogue,
    CourseNextSteps,
    CoursePackImport,
    LearningDemoService,
  ],
})
export class LearningModule implements OnModuleInit {
  constructor(
    private readonly recommenders: GapRecommenderRegistry,
    private readonly courses: CourseRecommender,
  ) {}

  onModuleInit(): void {
    this.recommenders.register(this.courses, 'learning');
  }
}
