import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { Course } from './course.entity.js';

/** What the evaluation of a course needs to know about it (ADR 0040). */
export interface CourseEvaluationFact {
  id: string;
  code: string;
  title: string;
  /** The course's own reaction statements, or null for the platform's defaults. */
  reactionItems: string[] | null;
}

/** Reads courses for the development domain's questionnaires and reports. */
@Injectable()
export class CourseEvaluationFacts {
  constructor(@InjectRepository(Course) private readonly courses: Repository<Course>) {}

  /** The courses of these ids (any status), keyed by id. */
  async byIds(ids: string[]): Promise<Map<string, CourseEvaluationFact>> {
    const unique = [...new Set(ids)];
    const facts = new Map<string, CourseEvaluationFact>();
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await this.courses.find({
        where: { id: In(unique.slice(i, i + 500)) },
        select: { id: true, code: true, title: true, reactionItems: true },
      });
      for (const row of rows)
        facts.set(row.id, {
          id: row.id,
          code: row.code,
          title: row.title,
          reactionItems: row.reactionItems?.length ? row.reactionItems : null,
        });
    }
    return facts;
  }

  async byId(id: string): Promise<CourseEvaluationFact | null> {
    return (await this.byIds([id])).get(id) ?? null;
  }
}
