import { Injectable } from '@nestjs/common';
import type { GradeOutcome, QuestionType } from '../../registry/extension-points.js';
import { tidy } from './choice.js';

/** Left items and right items with their own ids; `key` pairs them (left id → right id). */
export interface MatchingDefinition {
  left: { id: string; text: string }[];
  right: { id: string; text: string }[];
  key: Record<string, string>;
}

/** Menjodohkan: each left item paired right earns an equal share of the credit. */
@Injectable()
export class MatchingType implements QuestionType<MatchingDefinition, Record<string, string>> {
  readonly key = 'matching';
  readonly label = { id: 'Menjodohkan', en: 'Matching' };
  readonly picks = { keys: 'left', values: 'right' };

  validate(definition: unknown): string[] {
    const d = definition as Partial<MatchingDefinition> | null;
    if (!Array.isArray(d?.left) || d.left.length < 2) return ['left must list at least two items'];
    // Two left items may share one right item (Moodle allows repeated answers); the right
    // list names each item once, so its length tells a candidate nothing about the pairs.
    if (!Array.isArray(d?.right) || d.right.length < 2)
      return ['right must list at least two items'];
    const texts = d.right.map((r) => r?.text);
    if (new Set(texts).size !== texts.length) return ['right items must differ from each other'];
    const rights = new Set(d.right.map((r) => r.id));
    const problems = d.left
      .filter((l) => !d.key || !rights.has(d.key[l.id]))
      .map((l) => `key must pair left "${l.id}" with a right item`);
    const ids = [...d.left.map((l) => l.id), ...d.right.map((r) => r.id)];
    if (new Set(ids).size !== ids.length) problems.push('item ids must be unique');
    return problems;
  }

  validateResponse(response: unknown): string[] {
    return response &&
      typeof response === 'object' &&
      !Array.isArray(response) &&
      Object.values(response).every((v) => typeof v === 'string')
      ? []
      : ['response must pair left ids with right ids'];
  }

  candidateView(definition: MatchingDefinition) {
    return {
      left: definition.left.map(({ id, text }) => ({ id, text })),
      right: definition.right.map(({ id, text }) => ({ id, text })),
    };
  }

  grade(definition: MatchingDefinition, response: Record<string, string>): GradeOutcome {
    if (!response || typeof response !== 'object') return { fraction: 0 };
    const right = definition.left.filter(
      (l) => response[l.id] !== undefined && response[l.id] === definition.key[l.id],
    ).length;
    return { fraction: tidy(right / definition.left.length) };
  }
}
