import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../config/paths.js';
import {
  mapStrings,
  moodleFileElements,
  pluginfileNames,
  questionFileNames,
  rewritePluginfile,
} from './moodle-files.js';
import { parseMoodleXml, writeMoodleXml } from './moodle-xml.js';

const fixtures = join(projectRoot, 'test', 'fixtures', 'moodle-questions', 'moodle-xml');
const read = (name: string) => readFileSync(join(fixtures, name));
const HASH = 'a'.repeat(64);

describe('files carried by Moodle XML questions', () => {
  it("collects every <file> of Moodle's fixtures: 13 in all, none lost", () => {
    const tf = parseMoodleXml(read('truefalse.xml'));
    const mc = parseMoodleXml(read('multichoice.xml'));
    const names = (r: typeof tf) => r.questions.flatMap((q) => (q.files ?? []).map((f) => f.name));
    expect(names(tf)).toEqual([
      'logo.jpg',
      'infos.jpg',
      'thumbdown.jpg',
      'thumbup.jpg',
      'logo.jpg',
      'infos.jpg',
      'thumbup.jpg',
      'thumbdown.jpg',
    ]);
    expect(names(mc)).toEqual([
      'bonjour.mp3',
      'flag-uk.jpg',
      'flag-france.jpg',
      'flag-german.jpg',
      'flag-denmark.jpg',
    ]);
    const logo = tf.questions[0].files!.find((f) => f.name === 'logo.jpg')!.content;
    expect([...logo.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(tf.warnings).toEqual([]);
    // Every reference has its file.
    for (const q of [...tf.questions, ...mc.questions]) {
      const texts = [q.stem, q.generalFeedback, JSON.stringify(q.definition)];
      const have = new Set((q.files ?? []).map((f) => f.name));
      expect(texts.flatMap(pluginfileNames).filter((n) => !have.has(n))).toEqual([]);
    }
  });

  it("turns Moodle 1.9's <image> and <image_base64> into a file shown after the text", () => {
    const old = parseMoodleXml(read('sample_questions_with_old_image_tag.xml'));
    const mcq = old.questions.find((q) => q.name === 'mcq with image')!;
    expect(mcq.files?.map((f) => f.name)).toEqual(['moodle.png']);
    expect(mcq.stem).toContain('<img src="@@PLUGINFILE@@/moodle.png"');
    expect([...mcq.files![0].content.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it('reports an unreadable file and an old image without bytes instead of dropping them', () => {
    const xml = `<quiz><question type="truefalse"><name><text>Q</text></name>
      <questiontext format="html"><text>x</text><file name="a.png" encoding="base64">!!!</file></questiontext>
      <image>gone.png</image>
      <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
    </question></quiz>`;
    const { questions, warnings } = parseMoodleXml(xml);
    expect(questions).toHaveLength(1);
    expect(warnings.map((w) => w.reason)).toEqual([
      expect.stringContaining('a.png'),
      expect.stringContaining('gone.png'),
    ]);
  });

  it('rewrites references, URL-encoded names included, and leaves unknown ones to be reported', () => {
    const text = '<img src="@@PLUGINFILE@@/rambu%20merah.png"> <a href="@@PLUGINFILE@@/x.mp3">';
    const out = rewritePluginfile(text, (n) => (n === 'rambu merah.png' ? '/u/1.png' : undefined));
    expect(out).toBe('<img src="/u/1.png"> <a href="@@PLUGINFILE@@/x.mp3">');
    expect(pluginfileNames(out)).toEqual(['x.mp3']);
    expect(mapStrings({ a: [{ t: text }], n: 1 }, () => 'z')).toEqual({ a: [{ t: 'z' }], n: 1 });
  });

  it('writes stored files back as <file> elements beside the text, and reads them again', () => {
    const url = `/api/v1/question-files/${HASH}.png`;
    expect(questionFileNames(`<img src="${url}">`)).toEqual([`${HASH}.png`]);
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const files = new Map([[`${HASH}.png`, bytes]]);
    const carried = moodleFileElements(`<img src="${url}">`, files);
    expect(carried.text).toBe(`<img src="@@PLUGINFILE@@/${HASH}.png">`);
    expect(carried.elements).toBe(
      `<file name="${HASH}.png" path="/" encoding="base64">${bytes.toString('base64')}</file>`,
    );
    const xml = writeMoodleXml(
      [
        {
          name: 'Gambar',
          type: 'true_false',
          stem: `<p>Lihat <img src="${url}" alt=""></p>`,
          definition: { answer: true, feedbackTrue: `<img src="${url}">`, feedbackFalse: '' },
          generalFeedback: '',
          category: null,
          tags: [],
          idnumber: null,
        },
      ],
      files,
    );
    const back = parseMoodleXml(xml);
    expect(back.questions[0].stem).toContain(`@@PLUGINFILE@@/${HASH}.png`);
    expect(back.questions[0].files).toEqual([{ name: `${HASH}.png`, content: bytes }]);
  });
});
