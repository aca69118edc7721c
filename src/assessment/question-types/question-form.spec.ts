import {
  candidateWidget,
  definitionFromForm,
  editorModel,
  type Form,
  responseFromForm,
} from './question-form.js';

/** The form an editor posts back for a definition, as a browser would send it unchanged. */
function formOf(type: string, definition: Record<string, unknown>): Form {
  const model = editorModel(type, definition);
  const form: Form = {};
  for (const row of model.rows ?? []) {
    for (const cell of row.cells) form[cell.name] = cell.value;
    for (const hidden of row.hidden) form[hidden.name] = hidden.value;
  }
  if (model.kind === 'true_false') {
    form.answer = String(model.answerTrue);
    form.feedbackTrue = model.feedbackTrue;
    form.feedbackFalse = model.feedbackFalse;
  }
  if (model.kind === 'essay') form.rubric = model.rubric;
  if (model.fixedOrder) form.fixedOrder = '1';
  if (model.kind === 'json') form.definition = model.json;
  return form;
}

describe('question editor forms', () => {
  const definitions: Record<string, Record<string, unknown>> = {
    single_choice: {
      options: [
        { id: 'a', text: 'Lima', fraction: 1, feedback: 'Tepat' },
        { id: 'b', text: 'Enam', fraction: 0 },
      ],
    },
    multiple_response: {
      options: [
        { id: 'x', text: 'A', fraction: 0.5 },
        { id: 'y', text: 'B', fraction: 0.5 },
        { id: 'z', text: 'C', fraction: -1, feedback: 'Bukan' },
      ],
    },
    short_answer: { answers: [{ text: 'puskesmas*', fraction: 1 }] },
    numeric: {
      answers: [
        { value: 6, tolerance: 0, fraction: 1 },
        { min: 5, max: 7, fraction: 0.5, feedback: 'Hampir' },
      ],
    },
    matching: {
      left: [
        { id: 'l1', text: 'SKP' },
        { id: 'l2', text: 'SPBE' },
      ],
      right: [
        { id: 'r1', text: 'Kinerja' },
        { id: 'r2', text: 'Elektronik' },
        { id: 'r3', text: 'Pengecoh' },
      ],
      key: { l1: 'r1', l2: 'r2' },
    },
    true_false: { answer: false, feedbackTrue: 'Salah', feedbackFalse: 'Benar' },
    essay: { rubric: 'Sebutkan tiga langkah' },
    ordering: { items: [{ id: 'a', text: 'Satu' }] },
  };

  it.each(Object.entries(definitions))(
    '%s: what the editor shows comes back unchanged',
    (type, definition) => {
      expect(definitionFromForm(type, formOf(type, definition))).toEqual(definition);
    },
  );

  it('gives new rows fresh ids and reads credits in percent, with a decimal comma', () => {
    const form: Form = {
      r0_id: 'b',
      r0_text: 'Kept',
      r0_fraction: '33,5',
      r1_text: 'New',
      r1_fraction: '-25',
      r2_text: '',
      r2_fraction: '100',
    };
    expect(definitionFromForm('single_choice', form)).toEqual({
      options: [
        { id: 'b', text: 'Kept', fraction: 0.335 },
        { id: 'a', text: 'New', fraction: -0.25 },
      ],
    });
  });

  it('keeps a fixed order only where the author ticked it (choices and matching)', () => {
    const fixed = {
      options: [
        { id: 'a', text: 'Satu', fraction: 1 },
        { id: 'b', text: 'Semua di atas', fraction: 0 },
      ],
      fixedOrder: true,
    };
    expect(editorModel('single_choice', fixed)).toMatchObject({
      orderable: true,
      fixedOrder: true,
    });
    expect(definitionFromForm('single_choice', formOf('single_choice', fixed))).toEqual(fixed);
    const { fixedOrder: _, ...shuffled } = fixed;
    expect(definitionFromForm('single_choice', formOf('single_choice', shuffled))).toEqual(
      shuffled,
    );
    expect(editorModel('short_answer', { answers: [] }).orderable).toBe(false);
  });

  it('reports unreadable JSON for a type without a form', () => {
    expect(definitionFromForm('ordering', { definition: '{oops' })).toMatch(/bukan JSON/);
    expect(definitionFromForm('ordering', { definition: '[1]' })).toMatch(/objek JSON/);
  });
});

describe('candidate widgets', () => {
  it("shows an option written in HTML (Moodle's, with an image) sanitised, and plain text as text", () => {
    const url = `/api/v1/question-files/${'b'.repeat(64)}.jpg`;
    const widget = candidateWidget(
      'single_choice',
      {
        options: [
          { id: 'x', text: `<p><img src="${url}" alt="Bendera" onerror="alert(1)"> Prancis</p>` },
          { id: 'y', text: 'a < b' },
        ],
      },
      'q0',
    );
    expect(widget.options![0].html).toBe(
      `<img src="${url}" alt="Bendera" loading="lazy" /> Prancis`,
    );
    expect(widget.options![1].html).toBeUndefined();
  });

  it('fills saved answers and reads them back', () => {
    const view = {
      options: [
        { id: 'a', text: 'A' },
        { id: 'b', text: 'B' },
      ],
    };
    const multiple = candidateWidget('multiple_response', view, 'q1', ['b']);
    expect(multiple.options!.map((o) => o.checked)).toEqual([false, true]);
    expect(responseFromForm(multiple, { q1: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(responseFromForm(multiple, { q1: 'a' })).toEqual(['a']);
    expect(responseFromForm(multiple, {})).toBeUndefined();

    const single = candidateWidget('single_choice', view, 'q2');
    expect(responseFromForm(single, { q2: 'b' })).toBe('b');

    const boolean = candidateWidget('true_false', {}, 'q3', false);
    expect(boolean.options!.find((o) => o.id === 'false')!.checked).toBe(true);
    expect(responseFromForm(boolean, { q3: 'true' })).toBe(true);

    const numeric = candidateWidget('numeric', {}, 'q4', 2.5);
    expect(numeric.value).toBe('2.5');
    expect(responseFromForm(numeric, { q4: '2,5' })).toBe(2.5);
    expect(responseFromForm(numeric, { q4: ' ' })).toBeUndefined();

    const match = candidateWidget(
      'matching',
      { left: [{ id: 'l1', text: 'SKP' }], right: [{ id: 'r1', text: 'Kinerja' }] },
      'q5',
      { l1: 'r1' },
    );
    expect(match.pairs![0].options[0].selected).toBe(true);
    expect(responseFromForm(match, { 'q5.l1': 'r1' })).toEqual({ l1: 'r1' });

    // A sector type is drawn by the shape of its view.
    const order = candidateWidget(
      'ordering',
      {
        items: [
          { id: 'a', text: 'A' },
          { id: 'b', text: 'B' },
        ],
      },
      'q6',
    );
    expect(order.kind).toBe('order');
    expect(responseFromForm(order, { 'q6.0': 'b', 'q6.1': 'a' })).toEqual(['b', 'a']);
  });
});
