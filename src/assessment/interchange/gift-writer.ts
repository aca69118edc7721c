import type { InterchangeQuestion } from './gift.js';

/** Escapes GIFT's control characters and newlines. */
export function escapeGift(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/([~=#{}:])/g, '\\$1')
    .replace(/\n/g, '\\n');
}

// Six decimals of a fraction are four of a percentage: 0.333333 ↔ %33.3333%.
const weight = (fraction: number) => `%${Math.round(fraction * 1e6) / 1e4}%`;
const feedback = (text: unknown) =>
  typeof text === 'string' && text ? `#${escapeGift(text)}` : '';

type Answer = {
  text?: string;
  fraction: number;
  feedback?: string;
  value?: number;
  tolerance?: number;
  min?: number;
  max?: number;
};

/**
 * Questions without a category first: a `$CATEGORY:` line holds until the next one (in
 * Moodle's reader and ours), and GIFT has no way back to "no category", so a question
 * without one written after a category would land in it on import.
 */
export const uncategorisedFirst = <Q extends { category: string | null }>(
  questions: readonly Q[],
): Q[] => [...questions.filter((q) => !q.category), ...questions.filter((q) => q.category)];

/** Writes questions as GIFT that the reader (and Moodle) reads back to the same questions. */
export function writeGift(questions: readonly InterchangeQuestion[]): string {
  const out: string[] = [];
  let category: string | null | undefined;
  for (const q of uncategorisedFirst(questions)) {
    if (q.category !== category && q.category) out.push(`$CATEGORY: ${q.category}`, '');
    category = q.category;
    const meta = [
      ...(q.idnumber ? [`[id:${q.idnumber}]`] : []),
      ...q.tags.map((t) => `[tag:${t}]`),
      // GIFT has no mark; Moodle skips comments, this reader takes it back.
      ...(q.points !== undefined && q.points !== 1 ? [`[points:${q.points}]`] : []),
    ];
    if (meta.length) out.push(`// ${meta.join(' ')}`);
    const rubric = (q.definition as { rubric?: unknown }).rubric;
    if (q.type === 'essay' && typeof rubric === 'string' && rubric)
      out.push(`// [rubric:${escapeGift(rubric).replace(/]/g, '\\]')}]`);
    out.push(
      `::${escapeGift(q.name)}::${escapeGift(q.stem)}{${answerBlock(q)}${q.generalFeedback ? `####${escapeGift(q.generalFeedback)}` : ''}}`,
      '',
    );
  }
  return out.join('\n');
}

function answerBlock(q: InterchangeQuestion): string {
  const d = q.definition as Record<string, unknown>;
  switch (q.type) {
    case 'essay':
      return '';
    case 'true_false': {
      // Moodle's order: the feedback for a wrong answer first, then the one for the right answer.
      const right = String((d.answer ? d.feedbackTrue : d.feedbackFalse) ?? '');
      const wrong = String((d.answer ? d.feedbackFalse : d.feedbackTrue) ?? '');
      return `${d.answer ? 'TRUE' : 'FALSE'}${right || wrong ? `#${escapeGift(wrong)}#${escapeGift(right)}` : ''}`;
    }
    case 'single_choice':
    case 'multiple_response':
      return (
        (d.options as Answer[])
          .map(
            (o) =>
              (q.type === 'single_choice' && o.fraction === 1
                ? `\n=${escapeGift(o.text ?? '')}`
                : `\n~${weight(o.fraction)}${escapeGift(o.text ?? '')}`) + feedback(o.feedback),
          )
          .join('') + '\n'
      );
    case 'short_answer':
      return (
        (d.answers as Answer[])
          .map((a) => `\n=${weight(a.fraction)}${escapeGift(a.text ?? '')}${feedback(a.feedback)}`)
          .join('') + '\n'
      );
    case 'numeric':
      return (
        '#' +
        (d.answers as Answer[])
          .map(
            (a) =>
              `\n=${weight(a.fraction)}${a.value !== undefined ? `${a.value}:${a.tolerance ?? 0}` : `${a.min}..${a.max}`}${feedback(a.feedback)}`,
          )
          .join('') +
        (d.otherwiseFeedback ? `\n~${feedback(d.otherwiseFeedback)}` : '') +
        '\n'
      );
    case 'matching': {
      const left = d.left as { id: string; text: string }[];
      const right = d.right as { id: string; text: string }[];
      const key = d.key as Record<string, string>;
      const used = new Set(Object.values(key));
      const pairs = left.map(
        (l) =>
          `\n=${escapeGift(l.text)} -> ${escapeGift(right.find((r) => r.id === key[l.id])?.text ?? '')}`,
      );
      const extras = right
        .filter((r) => !used.has(r.id))
        .map((r) => `\n= -> ${escapeGift(r.text)}`);
      return [...pairs, ...extras].join('') + '\n';
    }
    default:
      throw new Error(`Jenis soal "${q.type}" tidak dapat ditulis sebagai GIFT`);
  }
}
