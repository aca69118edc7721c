import { IsNull, type Repository } from 'typeorm';
import type { QuestionCategory } from './question-bank.entity.js';

/** Categories depth first, each with its depth and full path, for trees and menus. */
export function categoryTree(categories: readonly QuestionCategory[]) {
  const children = new Map<string | null, QuestionCategory[]>();
  for (const c of categories) {
    const parent = categories.some((p) => p.id === c.parentId) ? c.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), c]);
  }
  const out: {
    id: string;
    parentId: string | null;
    name: string;
    info: string;
    depth: number;
    path: string;
  }[] = [];
  const walk = (parent: string | null, depth: number, prefix: string) => {
    const list = (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name, 'id'));
    for (const c of list) {
      const path = prefix ? `${prefix}/${c.name}` : c.name;
      out.push({ id: c.id, parentId: c.parentId, name: c.name, info: c.info, depth, path });
      walk(c.id, depth + 1, path);
    }
  };
  walk(null, 0, '');
  return out;
}

/** A category's id with every category below it (an export or a draw of a category holds them). */
export function withSubcategories(
  categories: readonly QuestionCategory[],
  id: string,
): Set<string> {
  const inside = new Set<string>();
  for (const c of categoryTree(categories))
    if (c.id === id || (c.parentId && inside.has(c.parentId))) inside.add(c.id);
  return inside;
}

/**
 * The category at a `Parent/Child` path of a bank, created where missing (imports and
 * content packs). `repository` may belong to a transaction; `cache` spares repeated lookups.
 */
export async function ensureCategoryPath(
  repository: Repository<QuestionCategory>,
  bankId: string,
  path: string,
  cache = new Map<string, string>(),
): Promise<string | null> {
  let parentId: string | null = null;
  let soFar = '';
  for (const name of path
    .split('/')
    .map((p) => p.trim())
    .filter(Boolean)) {
    soFar = soFar ? `${soFar}/${name}` : name;
    let id: string | undefined = cache.get(soFar);
    if (!id) {
      const found: QuestionCategory | null = await repository.findOneBy({
        bankId,
        name,
        parentId: parentId ?? IsNull(),
      });
      if (found) id = found.id;
      else {
        const created: QuestionCategory = repository.create({
          bankId,
          parentId,
          name: name.slice(0, 200),
          info: '',
        });
        await repository.insert(created);
        id = created.id;
      }
      cache.set(soFar, id);
    }
    parentId = id;
  }
  return parentId;
}
