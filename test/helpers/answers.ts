import type { DataSource } from 'typeorm';
import { rightResponse } from '../../src/assessment/engine/assessment-demo.service.js';

/** An item as the candidate receives it: lists carry the attempt's opaque ids. */
export interface CandidateItem {
  slot: number;
  type: string;
  options?: { id: string; text: string }[];
  left?: { id: string; text: string }[];
  right?: { id: string; text: string }[];
  items?: { id: string; text: string }[];
}

type Definition = Record<string, unknown>;
type Listed = { id: string; text: string }[];

/**
 * An answer written with authoring ids (a, b, l1 → r1), given as the candidate must give it:
 * with the attempt's opaque ids, found by each entry's text, as a candidate who knows the
 * subject would find the right option on the screen.
 */
export function inAttemptIds(item: CandidateItem, definition: Definition, response: unknown) {
  const byList = (list: 'options' | 'left' | 'right' | 'items') => {
    const authored = (definition[list] ?? []) as Listed;
    const shown = (item[list] ?? []) as Listed;
    return new Map(
      authored.map((a) => [a.id, shown.find((s) => s.text === a.text)?.id ?? `?${a.id}`]),
    );
  };
  if (item.type === 'matching' || (item.left && item.right)) {
    const left = byList('left');
    const right = byList('right');
    return Object.fromEntries(
      Object.entries(response as Record<string, string>).map(([l, r]) => [
        left.get(l),
        right.get(r),
      ]),
    );
  }
  const ids = item.options ? byList('options') : item.items ? byList('items') : null;
  if (!ids) return response;
  if (typeof response === 'string') return ids.get(response);
  if (Array.isArray(response)) return (response as string[]).map((id) => ids.get(id));
  return response;
}

/** The server's key of an attempt (slot → type and definition), read from its database. */
export async function keyOfAttempt(
  dataSource: DataSource,
  attemptId: string,
): Promise<Map<number, { type: string; definition: Definition }>> {
  const rows = await dataSource.query<
    { slot: number; type: string; definition: string | Definition }[]
  >(
    `SELECT i.slot AS slot, i.type AS type, v.definition AS definition
       FROM attempt_items i
       JOIN question_versions v ON v.questionId = i.questionId AND v.version = i.questionVersion
      WHERE i.attemptId = ?`,
    [attemptId],
  );
  return new Map(
    rows.map((r) => [
      Number(r.slot),
      {
        type: r.type,
        definition: (typeof r.definition === 'string'
          ? JSON.parse(r.definition)
          : r.definition) as Definition,
      },
    ]),
  );
}

/** The full-credit answer to an item, in the attempt's ids. */
export function rightFor(item: CandidateItem, key: { type: string; definition: Definition }) {
  return inAttemptIds(item, key.definition, rightResponse(key.type, key.definition));
}
