import { parseCloze } from '../interchange/cloze-syntax.js';
import { answerKey, responseWords } from './answer-words.js';
import { blankCredit, blankOutcome, blankOutcomes, ClozeType } from './cloze.type.js';
import { candidateWidget, responseFromForm } from './question-form.js';

const type = new ClozeType();
const aCloze = (source: string) => {
  const { text, blanks } = parseCloze(source);
  return { stem: text, definition: { blanks } };
};

describe('cloze', () => {
  const { definition } = aCloze(
    'Ibu kota Jerman {2:SHORTANSWER:=Berlin~%50%Bonn}; Indonesia {1:MULTICHOICE:=Jakarta~Bandung~%50%Batavia}; ' +
      '23 ± 0,1 {1:NUMERICAL:=23:0.1}; kode {1:SAC:=NIP}.',
  );
  const [sa, mc] = definition.blanks;

  it('accepts what it parses and refuses a broken definition, naming the blank', () => {
    expect(type.validate(definition)).toEqual([]);
    expect(type.validate({ blanks: [] })).toEqual(['blanks must list at least one blank']);
    expect(type.validate({ blanks: Array.from({ length: 101 }, () => sa) })).toEqual([
      'blanks may list at most 100 blanks',
    ]);
    const broken = { blanks: [sa, { ...mc, options: [mc.options![0]] }] };
    expect(type.validate(broken)).toEqual([
      'blanks[1] Isian 2: pilihan ganda butuh minimal dua pilihan',
    ]);
  });

  it('grades per blank: Σ weight × credit / Σ weight', () => {
    const all = { b1: { text: ' berlin ' }, b2: 'b2a', b3: { text: '23,05' }, b4: { text: 'NIP' } };
    expect(type.grade(definition, all)).toEqual({ fraction: 1 });
    // Bonn is half of 2 points, Batavia half of 1, the number and the code right: 3.5 / 5.
    expect(
      type.grade(definition, { b1: { text: 'Bonn' }, b2: 'b2c', b3: 23, b4: { text: 'NIP' } }),
    ).toEqual({ fraction: 0.7 });
    // The case counts only where the blank asks (SAC).
    expect(type.grade(definition, { ...all, b4: { text: 'nip' } })).toEqual({ fraction: 0.8 });
    expect(type.grade(definition, { ...all, b3: { text: '23,2' } })).toEqual({ fraction: 0.8 });
  });

  it('scores malformed and foreign answers zero, never throws', () => {
    expect(type.grade(definition, {} as never)).toEqual({ fraction: 0 });
    expect(type.grade(definition, null as never)).toEqual({ fraction: 0 });
    // An option of another blank, or typed text in a drop-down, earns nothing.
    expect(type.grade(definition, { b1: 'b2a', b2: { text: 'Jakarta' } })).toEqual({ fraction: 0 });
    expect(type.validateResponse('Berlin')).not.toEqual([]);
    expect(type.validateResponse({ b1: [1] })).not.toEqual([]);
    expect(type.validateResponse({ b1: { text: 'x' }, b2: 'b2a', b3: 4 })).toEqual([]);
  });

  it('names the option a typed blank matched, so its feedback and no other is shown', () => {
    const [blank] = aCloze(
      'Ibu kota Jerman {1:SA:=Berlin#Benar~%0%Bonn#Bonn dulu; kini Berlin~%0%M*n*h#Bavaria}',
    ).definition.blanks;
    const feedbackOf = (text: string) => blankOutcome(blank, { text }).option?.feedback;
    expect(feedbackOf('Paris')).toBeUndefined(); // matched nothing: no feedback at all
    expect(feedbackOf('Munich')).toBe('Bavaria');
    expect(feedbackOf('bonn')).toBe('Bonn dulu; kini Berlin');
    expect(blankOutcome(blank, { text: 'Berlin' })).toEqual({
      credit: 1,
      option: expect.objectContaining({ feedback: 'Benar' }),
    });
    expect(blankOutcomes(definition, { b2: 'b2c' })[1]).toMatchObject({ credit: 0.5 });
    expect(blankOutcomes(definition, { b2: 'b2c' })[1].option?.text).toBe('Batavia');
  });

  it('refuses a blank typed longer than 500 characters, naming it; grades a hostile one at once', () => {
    expect(type.validateResponse({ b1: { text: 'x'.repeat(500) } })).toEqual([]);
    expect(type.validateResponse({ b2: 'b2a', b1: { text: 'x'.repeat(501) } })).toEqual([
      'response.b1 must be at most 500 characters',
    ]);
    // Stored before the cap, or sent past it: wildcards match in linear time (no clock here,
    // the old regular expression took hours on this).
    const blank = { id: 'b1', kind: 'shortanswer' as const, weight: 1 };
    const options = [{ id: 'x', text: '*a*b*c', fraction: 1 }];
    expect(blankCredit({ ...blank, options }, { text: 'ab'.repeat(10_000) })).toBe(0);
    expect(blankCredit({ ...blank, options }, { text: 'ab'.repeat(10_000) + 'c' })).toBe(1);
  });

  it("does not give the key away in the candidate's view", () => {
    const view = type.candidateView(definition);
    const json = JSON.stringify(view);
    for (const word of ['Berlin', 'Bonn', 'NIP', 'fraction', 'feedback', '23'])
      expect(json).not.toContain(word);
    expect(view.options.map((o) => o.text)).toEqual(['Jakarta', 'Bandung', 'Batavia']);
  });

  it('gives the key and the answer per blank in words', () => {
    const words = { yes: 'Benar', no: 'Salah' };
    expect(answerKey('cloze', definition, words, type)).toEqual([
      'Isian 1: Berlin',
      'Isian 2: Jakarta',
      'Isian 3: 23 (± 0.1)',
      'Isian 4: NIP',
    ]);
    expect(responseWords('cloze', definition, { b1: { text: 'Bonn' }, b2: 'b2b' }, words)).toEqual([
      'Isian 1: Bonn',
      'Isian 2: Bandung',
      'Isian 3: –',
      'Isian 4: –',
    ]);
  });

  it('draws the blanks inline with labels and reads a posted form back', () => {
    const view = {
      ...type.candidateView(definition),
      stemHtml: '<p>Ibu kota Jerman {#1}; Indonesia {#2}; 23 {#3}; kode {#4}.</p>',
    };
    const widget = candidateWidget('cloze', view, 's1', { b1: { text: 'Berlin' } });
    expect(widget.kind).toBe('cloze');
    expect(widget.parts?.map((p) => p.html)).toEqual([
      '<p>Ibu kota Jerman ',
      '; Indonesia ',
      '; 23 ',
      '; kode ',
      '.</p>',
    ]);
    expect(widget.parts?.[0].blank).toMatchObject({ label: 'Isian 1', value: 'Berlin' });
    expect(widget.parts?.[1].blank).toMatchObject({ select: true, name: 's1.b2' });
    expect(
      responseFromForm(widget, { 's1.b1': 'Bonn', 's1.b2': 'b2a', 's1.b3': '23,1', 's1.b4': '' }),
    ).toEqual({ b1: { text: 'Bonn' }, b2: 'b2a', b3: { text: '23,1' } });
    expect(responseFromForm(widget, {})).toBeUndefined();
  });

  it('places a blank only in text, never inside a tag', () => {
    const view = {
      ...type.candidateView(definition),
      stemHtml: '<p><a href="/x" title="{#1}">tautan</a> {#2}</p>',
    };
    const widget = candidateWidget('cloze', view, 's1');
    expect(widget.parts?.[0]).toMatchObject({ html: '<p><a href="/x" title="{#1}">tautan</a> ' });
    expect(widget.parts?.[0].blank?.label).toBe('Isian 2');
    // The blanks the text does not place still come, after it.
    expect(widget.parts?.slice(1).map((p) => p.blank?.label)).toEqual([
      undefined,
      'Isian 1',
      'Isian 3',
      'Isian 4',
    ]);
  });
});
