import type { QuestionTypeRegistry } from '../../registry/registries.js';

/**
 * What is wrong with a question's definition, judged by its type: the one check for every
 * way a question comes in (the editor and API, a GIFT or Moodle XML import, a sector's pack).
 */
export function definitionProblems(
  types: QuestionTypeRegistry,
  type: string,
  definition: unknown,
): string[] {
  const questionType = types.get(type);
  return questionType ? questionType.validate(definition) : [`jenis ${type} tidak dikenal`];
}
