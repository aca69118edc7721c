/**
 * Server-rendered SVG charts: no client library, readable on a phone, each with a title and
 * a description for screen readers (pages also print the numbers as a table).
 */
const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

// Several charts share a page: each gets its own title id for aria-labelledby.
let drawn = 0;
const nextId = () => `chart-${++drawn}`;

/** The accessible frame of every chart: a title, a text alternative, and the drawing. */
function frame(
  width: number,
  height: number,
  title: string,
  description: string,
  body: string,
  shownWidth = '100%',
) {
  const id = nextId();
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${shownWidth}" role="img" aria-labelledby="${id}-t" aria-describedby="${id}-d"><title id="${id}-t">${escape(title)}</title><desc id="${id}-d">${escape(description)}</desc>${body}</svg>`;
}

export interface LevelBar {
  label: string;
  required: number;
  achieved: number;
}

/** Required vs achieved level (0–5) per competency, as paired horizontal bars. */
export function levelBars(
  rows: readonly LevelBar[],
  text: { title: string; required: string; achieved: string },
): string {
  const width = 360;
  const labelWidth = 120;
  const barArea = width - labelWidth - 10;
  const rowHeight = 34;
  const height = rows.length * rowHeight + 40;
  const unit = barArea / 5;
  const bars = rows
    .map((row, i) => {
      const y = 30 + i * rowHeight;
      const label = row.label.length > 18 ? row.label.slice(0, 17) + '…' : row.label;
      return [
        `<text x="0" y="${y + 13}" font-size="12">${escape(label)}</text>`,
        `<rect x="${labelWidth}" y="${y}" width="${row.required * unit}" height="12" fill="#c9d1d9"><title>${escape(`${row.label}: ${text.required} ${row.required}`)}</title></rect>`,
        `<rect x="${labelWidth}" y="${y + 14}" width="${Math.max(row.achieved * unit, 1)}" height="12" fill="${row.achieved >= row.required ? '#0b5d3b' : '#b54708'}"><title>${escape(`${row.label}: ${text.achieved} ${row.achieved}`)}</title></rect>`,
      ].join('');
    })
    .join('');
  const ticks = [0, 1, 2, 3, 4, 5]
    .map(
      (n) =>
        `<text x="${labelWidth + n * unit}" y="20" font-size="10" text-anchor="middle">${n}</text>`,
    )
    .join('');
  const legend = `<rect x="0" y="4" width="10" height="10" fill="#c9d1d9"/><text x="14" y="13" font-size="11">${escape(text.required)}</text><rect x="100" y="4" width="10" height="10" fill="#0b5d3b"/><text x="114" y="13" font-size="11">${escape(text.achieved)}</text>`;
  const description = rows
    .map((r) => `${r.label}: ${text.required} ${r.required}, ${text.achieved} ${r.achieved}`)
    .join('; ');
  return frame(width, height, text.title, description, legend + ticks + bars);
}

export interface HeatCell {
  row: string;
  column: string;
  value: number | null;
}

/**
 * The heatmap's colour bands, darkest red (few meet the competency) to green (most do).
 * Pages print them as the legend; each cell also prints its value, so colour is never
 * the only carrier of the number.
 */
export const HEAT_BANDS = [
  { min: 0, max: 24, fill: '#b42318', ink: '#fff' },
  { min: 25, max: 49, fill: '#f79009', ink: '#111' },
  { min: 50, max: 74, fill: '#fde272', ink: '#111' },
  { min: 75, max: 100, fill: '#2e7d4f', ink: '#fff' },
] as const;

const bandOf = (v: number) => HEAT_BANDS.find((b) => v <= b.max) ?? HEAT_BANDS[3];

/**
 * A grid of percentages (0–100) in four colour bands, each cell printing its value; empty
 * cells stay blank. Drawn at its natural size (the page scrolls it sideways on a phone)
 * so that its labels stay legible however many competencies there are.
 */
export function heatmap(
  rows: readonly string[],
  columns: readonly string[],
  cells: readonly HeatCell[],
  title: string,
  format: (value: number) => string = (value) => String(value),
): string {
  const cell = 44;
  const font = 13;
  const charWidth = font * 0.62;
  const left = Math.ceil(Math.max(4, ...rows.map((r) => r.length)) * charWidth) + 12;
  // Column heads are turned 45°: their height is about their length times sin 45°.
  const top = Math.ceil(Math.max(4, ...columns.map((c) => c.length)) * charWidth * 0.72) + 16;
  const width = left + columns.length * cell + 40;
  const height = top + rows.length * cell + 4;
  const value = new Map(cells.map((c) => [`${c.row}|${c.column}`, c.value]));
  const heads = columns
    .map(
      (c, i) =>
        `<text transform="translate(${left + i * cell + cell / 2},${top - 8}) rotate(-45)" font-size="${font}">${escape(c)}</text>`,
    )
    .join('');
  const body = rows
    .map((r, j) => {
      const y = top + j * cell;
      const label = `<text x="0" y="${y + cell / 2 + font / 3}" font-size="${font}">${escape(r)}</text>`;
      const squares = columns
        .map((c, i) => {
          const v = value.get(`${r}|${c}`);
          if (v === undefined || v === null) return '';
          const x = left + i * cell;
          const band = bandOf(v);
          return `<g><title>${escape(`${r} · ${c}: ${format(v)}%`)}</title><rect x="${x}" y="${y}" width="${cell - 2}" height="${cell - 2}" fill="${band.fill}"/><text x="${x + (cell - 2) / 2}" y="${y + (cell - 2) / 2 + font / 3}" font-size="${font - 1}" text-anchor="middle" fill="${band.ink}">${escape(format(v))}</text></g>`;
        })
        .join('');
      return label + squares;
    })
    .join('');
  const description = cells
    .filter((c) => c.value !== null)
    .map((c) => `${c.row} · ${c.column}: ${format(c.value!)}%`)
    .join('; ');
  return frame(width, height, title, description, heads + body, `${width}px`);
}

export interface Bar {
  label: string;
  value: number;
}

/**
 * Horizontal bars of percentages (0–100), value printed at the end of each bar; bars under
 * `warnBelow` are drawn in the warning colour.
 */
export function percentBars(
  rows: readonly Bar[],
  text: { title: string; unit?: string; format?: (value: number) => string },
  warnBelow = 50,
): string {
  const width = 360;
  const labelWidth = 130;
  const barArea = width - labelWidth - 44;
  const rowHeight = 22;
  const height = rows.length * rowHeight + 8;
  const unit = text.unit ?? '%';
  // The reader's number format ("51,5 %") when the page gives one.
  const shown = text.format ?? ((value: number) => `${value}${unit}`);
  const bars = rows
    .map((row, i) => {
      const y = 4 + i * rowHeight;
      const label = row.label.length > 20 ? row.label.slice(0, 19) + '…' : row.label;
      const value = Math.max(0, Math.min(100, row.value));
      return [
        `<text x="0" y="${y + 13}" font-size="12">${escape(label)}</text>`,
        `<rect x="${labelWidth}" y="${y}" width="${barArea}" height="16" fill="#eef1f4"/>`,
        `<rect x="${labelWidth}" y="${y}" width="${Math.max((value / 100) * barArea, 1)}" height="16" fill="${value < warnBelow ? '#b54708' : '#0b5d3b'}"><title>${escape(`${row.label}: ${shown(row.value)}`)}</title></rect>`,
        `<text x="${labelWidth + barArea + 4}" y="${y + 13}" font-size="11">${escape(shown(row.value))}</text>`,
      ].join('');
    })
    .join('');
  const description = rows.map((r) => `${r.label}: ${shown(r.value)}`).join('; ');
  return frame(width, height, text.title, description, bars);
}

/** Counts per band as vertical bars, each labelled underneath (e.g. score bands 0–9 … 90–100). */
export function histogram(
  counts: readonly number[],
  labels: readonly string[],
  title: string,
): string {
  const width = 360;
  const height = 150;
  const top = 14;
  const chartHeight = 100;
  const slot = width / counts.length;
  const max = Math.max(1, ...counts);
  const bars = counts
    .map((count, i) => {
      const h = (count / max) * chartHeight;
      const x = i * slot + 3;
      return [
        `<rect x="${x}" y="${top + chartHeight - h}" width="${slot - 6}" height="${Math.max(h, count ? 1 : 0)}" fill="#1d4e89"><title>${escape(`${labels[i]}: ${count}`)}</title></rect>`,
        `<text x="${x + (slot - 6) / 2}" y="${top + chartHeight - h - 3}" font-size="10" text-anchor="middle">${count}</text>`,
        `<text x="${x + (slot - 6) / 2}" y="${top + chartHeight + 14}" font-size="9" text-anchor="middle">${escape(labels[i])}</text>`,
      ].join('');
    })
    .join('');
  const axis = `<line x1="0" y1="${top + chartHeight}" x2="${width}" y2="${top + chartHeight}" stroke="#57606a"/>`;
  const description = counts.map((c, i) => `${labels[i]}: ${c}`).join('; ');
  return frame(width, height, title, description, axis + bars);
}

/** A ring filled to value/target (capped at full), with the value written in the middle. */
export function progressRing(
  value: number,
  target: number,
  text: { title: string; label: string },
): string {
  const size = 120;
  const radius = 48;
  const circumference = 2 * Math.PI * radius;
  const share = target > 0 ? Math.max(0, Math.min(1, value / target)) : 0;
  const dash = (share * circumference).toFixed(2);
  const body = [
    `<circle cx="60" cy="60" r="${radius}" fill="none" stroke="#eef1f4" stroke-width="14"/>`,
    `<circle cx="60" cy="60" r="${radius}" fill="none" stroke="${share >= 1 ? '#0b5d3b' : '#1d4e89'}" stroke-width="14" stroke-dasharray="${dash} ${circumference.toFixed(2)}" transform="rotate(-90 60 60)"/>`,
    `<text x="60" y="60" font-size="20" font-weight="bold" text-anchor="middle">${escape(String(value))}</text>`,
    `<text x="60" y="80" font-size="11" text-anchor="middle">${escape(text.label)}</text>`,
  ].join('');
  return frame(size, size, text.title, `${value} / ${target} ${text.label}`, body);
}
