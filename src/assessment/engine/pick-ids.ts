import { createHmac, hkdfSync } from 'node:crypto';
import type { QuestionType } from '../../registry/extension-points.js';

/**
 * Opaque ids for what a candidate picks (options, matching items, steps), per attempt and
 * slot: `HMAC(key, attempt, slot, list, authoring id)`, cut to 12 hex digits. Stateless and
 * stable on reload; another attempt gets other ids; their order says nothing about the
 * authoring order, so neither does "the id that sorts first" (ADR 0010).
 */

/** The key of the opaque ids, derived from the app's secret and used for nothing else. */
export function pickKeyOf(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'sertifikasi-asn', 'attempt pick ids v1', 32));
}

/** The lists of a view that hold picked ids: the object keys' list and the values' lists. */
export interface ResolvedPicks {
  keys: string | null;
  values: string[];
}

type Listed = { id: string }[];

const isIdList = (value: unknown): value is Listed =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.every(
    (x) => !!x && typeof x === 'object' && typeof (x as { id?: unknown }).id === 'string',
  );

/** A type's declared picks, or (a sector type that declares none) read from its view. */
export function picksOf(
  type: Pick<QuestionType, 'picks'> | undefined,
  view: Record<string, unknown>,
): ResolvedPicks | null {
  if (type?.picks === false) return null;
  if (type?.picks) return { keys: type.picks.keys ?? null, values: [type.picks.values] };
  const lists = Object.keys(view).filter((k) => isIdList(view[k]));
  if (!lists.length) return null;
  if (lists.includes('left') && lists.includes('right'))
    return { keys: 'left', values: lists.filter((k) => k !== 'left') };
  return { keys: null, values: lists };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** The id mapping of one item of one attempt. */
export class PickIds {
  private readonly toAuthoringIds = new Map<string, Map<string, string>>();
  /** The same mapping the other way: each id's HMAC is computed once per item. */
  private readonly toOpaqueIds = new Map<string, Map<string, string>>();

  constructor(
    private readonly key: Buffer,
    private readonly scope: string,
    private readonly slot: number,
    private readonly picks: ResolvedPicks | null,
    /** The type's candidate view with authoring ids (shared: never to be changed). */
    readonly view: Record<string, unknown>,
  ) {
    for (const list of this.lists()) {
      const ids = isIdList(view[list]) ? view[list].map((o) => o.id) : [];
      const opaque = new Map(ids.map((id) => [id, this.opaque(list, id)]));
      this.toOpaqueIds.set(list, opaque);
      this.toAuthoringIds.set(list, new Map(ids.map((id) => [opaque.get(id)!, id])));
    }
  }

  /** Whether anything of this item is picked by id. */
  get active(): boolean {
    return this.picks !== null;
  }

  opaque(list: string, id: string): string {
    const known = this.toOpaqueIds.get(list)?.get(id);
    if (known !== undefined) return known;
    return createHmac('sha256', this.key)
      .update(`${this.scope}\u0000${this.slot}\u0000${list}\u0000${id}`)
      .digest('hex')
      .slice(0, 12);
  }

  /** A view (any order) with the picked lists' ids made opaque. */
  opaqueView(view: Record<string, unknown>): Record<string, unknown> {
    if (!this.picks) return view;
    const out = { ...view };
    for (const list of this.lists()) {
      const entries = view[list];
      if (isIdList(entries))
        out[list] = entries.map((entry) => ({ ...entry, id: this.opaque(list, entry.id) }));
    }
    return out;
  }

  /** A stored (authoring) response as the candidate knows it. */
  toOpaque(response: unknown): unknown {
    if (!this.picks || response === null || response === undefined) return response;
    return this.mapResponse(response, (list, id) => this.opaqueOf(list, id));
  }

  /**
   * A candidate's response in authoring ids; `undefined` when it names an id that is not of
   * this item (the caller refuses it without telling which ids would be).
   */
  toAuthoring(response: unknown): unknown {
    if (!this.picks || response === null || response === undefined) return response;
    let unknown = false;
    const mapped = this.mapResponse(response, (lists, id) => {
      for (const list of lists) {
        const found = this.toAuthoringIds.get(list)?.get(id);
        if (found !== undefined) return found;
      }
      unknown = true;
      return id;
    });
    return unknown ? undefined : mapped;
  }

  private opaqueOf(lists: string[], id: string): string {
    // Several value lists (an undeclared sector type): the one that holds the id.
    const list =
      lists.find((l) => isIdList(this.view[l]) && this.view[l].some((o) => o.id === id)) ??
      lists[0];
    return this.opaque(list, id);
  }

  private mapResponse(response: unknown, map: (lists: string[], id: string) => string): unknown {
    const picks = this.picks!;
    const value = (v: unknown) => (typeof v === 'string' ? map(picks.values, v) : v);
    if (typeof response === 'string') return value(response);
    if (Array.isArray(response)) return response.map(value);
    if (isRecord(response))
      return Object.fromEntries(
        Object.entries(response).map(([k, v]) => [picks.keys ? map([picks.keys], k) : k, value(v)]),
      );
    return response;
  }

  private lists(): string[] {
    if (!this.picks) return [];
    return [...(this.picks.keys ? [this.picks.keys] : []), ...this.picks.values];
  }
}
