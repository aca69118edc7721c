import { MatchingType } from '../question-types/matching.type.js';
import { MultipleResponseType } from '../question-types/multiple-response.type.js';
import { ShortAnswerType } from '../question-types/short-answer.type.js';
import { SingleChoiceType } from '../question-types/single-choice.type.js';
import { PickIds, pickKeyOf, picksOf } from './pick-ids.js';

const key = pickKeyOf('k'.repeat(40));
const anOption = (id: string, fraction: number) => ({ id, text: `Pilihan ${id}`, fraction });
const choice = {
  options: [anOption('a', 1), anOption('b', 0), anOption('c', 0), anOption('d', 0)],
};
const single = new SingleChoiceType();
const idsFor = (
  attempt: string,
  slot = 1,
  type: SingleChoiceType | MatchingType | MultipleResponseType = single,
  definition: unknown = choice,
) => {
  const view = type.candidateView(definition as never);
  return { view, ids: new PickIds(key, attempt, slot, picksOf(type, view), view) };
};
const optionIds = (attempt: string, slot = 1) => {
  const { view, ids } = idsFor(attempt, slot);
  return (ids.opaqueView(view).options as { id: string }[]).map((o) => o.id);
};

describe('opaque pick ids', () => {
  it('are stable for an attempt and slot, and differ between attempts and slots', () => {
    expect(optionIds('attempt-1')).toEqual(optionIds('attempt-1'));
    const other = optionIds('attempt-2');
    const here = optionIds('attempt-1');
    expect(other.some((id) => here.includes(id))).toBe(false);
    expect(optionIds('attempt-1', 2).some((id) => here.includes(id))).toBe(false);
    expect(new Set(here).size).toBe(4);
    for (const id of here) expect(id).toMatch(/^[0-9a-f]{12}$/);
  });

  it('do not sort in authoring order: the right option sorts first about one time in four', () => {
    let first = 0;
    const runs = 2000;
    for (let i = 0; i < runs; i++) {
      const ids = optionIds(`attempt-${i}`);
      if ([...ids].sort()[0] === ids[0]) first++;
    }
    // Binomial(2000, 1/4): mean 500, sd 19.4; 420..580 is more than four sd either way.
    expect(first).toBeGreaterThan(420);
    expect(first).toBeLessThan(580);
  });

  it('map a choice back to the authoring id, and refuse an id of another attempt', () => {
    const { view, ids } = idsFor('attempt-1');
    const shown = ids.opaqueView(view).options as { id: string; text: string }[];
    const right = shown.find((o) => o.text === 'Pilihan a')!;
    expect(ids.toAuthoring(right.id)).toBe('a');
    expect(ids.toOpaque('a')).toBe(right.id);
    expect(ids.toAuthoring('a')).toBeUndefined();
    expect(ids.toAuthoring(optionIds('attempt-2')[0])).toBeUndefined();
  });

  it('map lists of ids (multiple response) and pairs (matching: keys left, values right)', () => {
    const multi = new MultipleResponseType();
    const mr = { options: [anOption('a', 0.5), anOption('b', 0.5), anOption('c', -1)] };
    const m = idsFor('x', 3, multi, mr);
    const opaque = m.ids.toOpaque(['a', 'b']) as string[];
    expect(opaque).not.toEqual(['a', 'b']);
    expect(m.ids.toAuthoring(opaque)).toEqual(['a', 'b']);

    const matching = new MatchingType();
    // Left and right share an id: each list has its own opaque ids.
    const md = {
      left: [
        { id: 'a', text: 'kiri a' },
        { id: 'b', text: 'kiri b' },
      ],
      right: [
        { id: 'a', text: 'kanan a' },
        { id: 'b', text: 'kanan b' },
      ],
      key: { a: 'a', b: 'b' },
    };
    const p = idsFor('x', 4, matching, md);
    const pairs = p.ids.toOpaque({ a: 'a', b: 'b' }) as Record<string, string>;
    const view = p.ids.opaqueView(p.view) as Record<string, { id: string; text: string }[]>;
    const leftA = view.left.find((l) => l.text === 'kiri a')!.id;
    const rightA = view.right.find((r) => r.text === 'kanan a')!.id;
    expect(leftA).not.toBe(rightA);
    expect(pairs[leftA]).toBe(rightA);
    expect(p.ids.toAuthoring(pairs)).toEqual({ a: 'a', b: 'b' });
    // A right id used as a left key is not of the left list.
    expect(p.ids.toAuthoring({ [rightA]: rightA })).toBeUndefined();
  });

  it('leave text answers alone, and read an undeclared sector type from its view', () => {
    const text = new ShortAnswerType();
    expect(picksOf(text, {})).toBeNull();
    const undeclared = { picks: undefined };
    expect(picksOf(undeclared, { steps: [{ id: 's1', text: 'x' }] })).toEqual({
      keys: null,
      values: ['steps'],
    });
    expect(
      picksOf(undeclared, { left: [{ id: 'l1' }], right: [{ id: 'r1' }], prompt: 'x' }),
    ).toEqual({ keys: 'left', values: ['right'] });
    expect(picksOf(undeclared, { prompt: 'x' })).toBeNull();
  });
});
