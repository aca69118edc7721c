import { Injectable } from '@nestjs/common';
import type { GradeOutcome, QuestionType } from '../../src/sector-api.js';

/** Steps in their correct order (ids unique). */
export interface OrderingDefinition {
  items: { id: string; text: string }[];
}

/**
 * Mengurutkan: put the steps of a procedure in order, as in filing a letter (agenda,
 * disposisi, arsip) or a data-backup routine. Each step in its right place earns an equal share.
 */
@Injectable()
export class OrderingType implements QuestionType<OrderingDefinition, string[]> {
  readonly key = 'ordering';
  readonly label = { id: 'Mengurutkan', en: 'Ordering' };
  readonly picks = { values: 'items' };

  validate(definition: unknown): string[] {
    const items = (definition as Partial<OrderingDefinition> | null)?.items;
    if (!Array.isArray(items) || items.length < 2) return ['items must list at least two steps'];
    const ids = items.map((i) => i?.id);
    if (ids.some((id) => typeof id !== 'string' || !id)) return ['every item needs an id'];
    if (new Set(ids).size !== ids.length) return ['item ids must be unique'];
    return items.every((i) => typeof i.text === 'string' && i.text.trim())
      ? []
      : ['every item needs text'];
  }

  validateResponse(response: unknown): string[] {
    return Array.isArray(response) && response.every((r) => typeof r === 'string')
      ? []
      : ['response must be the item ids in order'];
  }

  /** The steps in a stable order unrelated to the key (alphabetical by text). */
  candidateView(definition: OrderingDefinition) {
    return {
      items: [...definition.items]
        .sort((a, b) => a.text.localeCompare(b.text, 'id'))
        .map(({ id, text }) => ({ id, text })),
    };
  }

  answerKey(definition: OrderingDefinition): string[] {
    return definition.items.map((item, i) => `${i + 1}. ${item.text}`);
  }

  grade(definition: OrderingDefinition, response: string[]): GradeOutcome {
    if (!Array.isArray(response)) return { fraction: 0 };
    const placed = definition.items.filter((item, index) => response[index] === item.id).length;
    return { fraction: Math.round((placed / definition.items.length) * 1e6) / 1e6 };
  }
}
