import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../config/paths.js';
import { blankProblems, ClozeSyntaxError, parseCloze, writeCloze } from './cloze-syntax.js';
import { parseMoodleXml, writeMoodleXml } from './moodle-xml.js';

const fixtures = join(projectRoot, 'test', 'fixtures', 'moodle-questions', 'moodle-xml');
const read = (name: string) => readFileSync(join(fixtures, name));
const problemsOf = (source: string) => {
  try {
    parseCloze(source);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ClozeSyntaxError);
    return (error as ClozeSyntaxError).problems;
  }
};

describe('cloze syntax', () => {
  it('reads each kind and its aliases, weights, partial credit and feedback', () => {
    const { text, blanks } = parseCloze(
      'Ibu kota Jerman {2:SHORTANSWER:=Berlin#Benar~%50%Bonn#Dulu}, ' +
        '{:MC:=Jakarta#ya~Bandung#bukan}, {1:NM:=23:0.1~%50%23:1}, {1:SAC:=NIP}, ' +
        '{1:MCV:=a~b}, {1:MCHS:=c~d}.',
    );
    expect(text).toBe('Ibu kota Jerman {#1}, {#2}, {#3}, {#4}, {#5}, {#6}.');
    expect(blanks.map((b) => [b.kind, b.weight])).toEqual([
      ['shortanswer', 2],
      ['multichoice', 1],
      ['numerical', 1],
      ['shortanswer', 1],
      ['multichoice', 1],
      ['multichoice', 1],
    ]);
    expect(blanks[0].options).toEqual([
      { id: 'b1a', text: 'Berlin', fraction: 1, feedback: 'Benar' },
      { id: 'b1b', text: 'Bonn', fraction: 0.5, feedback: 'Dulu' },
    ]);
    expect(blanks[2].answers).toEqual([
      { value: 23, tolerance: 0.1, fraction: 1 },
      { value: 23, tolerance: 1, fraction: 0.5 },
    ]);
    expect(blanks[3].caseSensitive).toBe(true);
    expect(blanks[4].display).toBe('vertical');
    expect(blanks[5]).toMatchObject({ display: 'horizontal', shuffle: true });
  });

  it('keeps escaped characters literal', () => {
    const { blanks } = parseCloze(String.raw`{1:SA:=a\}b\~c\#d\/e\"f#umpan \~ balik~x}`);
    expect(blanks[0].options?.[0]).toMatchObject({
      text: 'a}b~c#d/e"f',
      feedback: 'umpan ~ balik',
    });
    expect(blanks[0].options).toHaveLength(2);
  });

  it('leaves braces that are not blanks as text', () => {
    expect(parseCloze('Himpunan {a, b} dan {1:SA:=x}').text).toBe('Himpunan {a, b} dan {#1}');
  });

  it('writes back what it reads, so Moodle re-imports the same blanks', () => {
    const source =
      String.raw`A {2:SHORTANSWER_C:=Ber\}lin#ok~%50%Bonn} B {1:MULTICHOICE_VS:=x#y~z} ` +
      '{1:NUMERICAL:=23:0.1~%50%20:5#dekat} {1:MULTICHOICE:=p~%33.333%q~r}';
    const first = parseCloze(source);
    const again = parseCloze(writeCloze(first.text, first.blanks));
    expect(again).toEqual(first);
    expect(writeCloze(first.text, first.blanks)).toBe(source);
  });

  it.each([
    ['no blank at all', 'Pilih buah.', /tanpa isian/],
    ['a blank without answers', 'Pilih {1:MULTICHOICE}', /Isian 1: tidak ada jawaban/],
    ['one choice only', 'Pilih {1:MULTICHOICE:=Apel}', /Isian 1: .*dua pilihan/],
    ['no full credit', 'Pilih {1:MC:Pir~%50%Apel}', /Isian 1: .*penuh/],
    ['a number that is not', '{3:NUMERICAL:=nol}', /Isian 1: jawaban angka tidak sah: "nol"/],
    ['an unclosed blank', '{1:SA:=a', /Isian 1: .*penutup/],
    ['multiresponse', '{1:MULTIRESPONSE:=a~b}', /Isian 1: .*belum didukung/],
  ])('refuses %s, naming the blank', (_, source, reason) => {
    expect(problemsOf(source).join('; ')).toMatch(reason);
  });

  it('names the right blank when a later one is wrong', () => {
    expect(problemsOf('{1:SA:=ok} {1:MC:=a}')).toEqual([
      'Isian 2: pilihan ganda butuh minimal dua pilihan',
    ]);
  });
});

describe('cloze syntax on hostile input', () => {
  const choices = (n: number) =>
    '{1:MC:=p0' + Array.from({ length: n - 1 }, (_, i) => `~p${i + 1}`).join('') + '}';

  it('reads up to 100 answers in a blank and refuses more while reading, naming the blank', () => {
    expect(parseCloze(choices(100)).blanks[0].options).toHaveLength(100);
    expect(problemsOf(`{1:SA:=ok} ${choices(101)}`)).toEqual(['Isian 2: lebih dari 100 jawaban']);
    // A million separators (a 1 MB import): refused after the 101st, not read to the end.
    expect(problemsOf('{1:MC:' + '~'.repeat(1_000_000) + '}')).toEqual([
      'Isian 1: lebih dari 100 jawaban',
    ]);
    const blank = parseCloze(choices(100)).blanks[0];
    const options = [...blank.options!, { id: 'zz', text: 'lagi', fraction: 0 }];
    expect(blankProblems({ ...blank, options }, 0)).toEqual(['Isian 1: lebih dari 100 jawaban']);
  });

  it('refuses more than 100 blanks and reports at most 20 problems', () => {
    expect(parseCloze('{1:SA:=a}'.repeat(100)).blanks).toHaveLength(100);
    expect(problemsOf('{1:SA:=a}'.repeat(101))).toEqual(['lebih dari 100 isian dalam satu soal']);
    const problems = problemsOf('{1:MC:=a}'.repeat(200_000));
    expect(problems).toHaveLength(21);
    expect(problems.at(-1)).toBe('… dan masalah lain sesudahnya');
    // One blank with many wrong answers does not flood the list either.
    expect(problemsOf('{1:MC:' + '~%200%x'.repeat(99) + '}')).toHaveLength(21);
  });
});

describe('Moodle XML cloze', () => {
  it("imports Moodle's multianswer fixture: five blanks, partial credit and feedback kept", () => {
    const { questions, skipped } = parseMoodleXml(read('multianswer.xml'));
    expect(skipped).toEqual([]);
    expect(questions).toHaveLength(1);
    const [q] = questions;
    expect(q.type).toBe('cloze');
    expect(q.name).toBe('cloze with images');
    expect(q.stem).toContain('San Francisco: {#1}');
    expect(q.stem).toContain('The capital of France is {#5}.');
    const blanks = (q.definition as { blanks: { kind: string }[] }).blanks;
    expect(blanks.map((b) => b.kind)).toEqual([
      'multichoice',
      'multichoice',
      'multichoice',
      'multichoice',
      'shortanswer',
    ]);
    expect(blanks[4]).toMatchObject({
      options: [
        { text: 'Paris', fraction: 1 },
        { text: 'Marseille', fraction: 0.5 },
        { text: '*', fraction: 0 },
      ],
    });
  });

  it('reports each question Moodle refuses as skipped, with its name and reason', () => {
    const { questions, skipped } = parseMoodleXml(read('broken_cloze_questions.xml'));
    expect(questions).toEqual([]);
    expect(skipped.map((s) => [s.line, s.name])).toEqual([
      [4, 'Multianswer question without subquestions'],
      [20, 'Multichoice subquestion without choices'],
      [36, 'Multichoice subquestion with only one choice'],
      [52, 'Multichoice subquestion with no completely correct answer'],
      [68, 'Numerical subquestion with buggy answer'],
    ]);
    expect(skipped.every((s) => s.reason.length > 5)).toBe(true);
  });

  it('exports to Moodle XML that imports back equal', () => {
    const { questions } = parseMoodleXml(read('multianswer.xml'));
    const xml = writeMoodleXml(questions);
    expect(xml).toContain('<question type="cloze">');
    expect(xml).toContain('{1:MULTICHOICE:California#Wrong~=Arizona#OK}');
    // Files travel through the file store, not the parser alone (question-files e2e).
    const again = parseMoodleXml(xml).questions.map(({ line: _, files: __, ...q }) => q);
    expect(again).toEqual(questions.map(({ line: _, files: __, ...q }) => q));
  });

  it('also reads the type under its internal name multianswer', () => {
    const xml =
      '<quiz><question type="multianswer"><name><text>N</text></name>' +
      '<questiontext><text>2 + 2 = {1:NM:=4}</text></questiontext></question></quiz>';
    expect(parseMoodleXml(xml).questions[0]).toMatchObject({ type: 'cloze', stem: '2 + 2 = {#1}' });
  });
});
