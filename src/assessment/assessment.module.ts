import { Module, OnModuleInit } from '@nestjs/common';
import { QuestionTypeRegistry } from '../registry/registries.js';
import { TrueFalseType } from './question-types/true-false.type.js';

const BUILT_IN_TYPES = [TrueFalseType];

/** Question banks, the question-type registry's built-ins, assessments and attempts. */
@Module({ providers: BUILT_IN_TYPES })
export class AssessmentModule implements OnModuleInit {
  constructor(
    private readonly registry: QuestionTypeRegistry,
    private readonly trueFalse: TrueFalseType,
  ) {}

  onModuleInit(): void {
    // Built-ins go through the same registry call as a sector's types.
    for (const type of [this.trueFalse]) this.registry.register(type, 'the core');
  }
}
