/**
 * Server-rendered SVG charts: no client library, readable on a phone, each with a title and
 * a description for screen readers (pages also print the numbers as a table).
 */
const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

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
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="chart-title"><title id="chart-title">${escape(text.title)}</title>${legend}${ticks}${bars}</svg>`;
}

export interface HeatCell {
  row: string;
  column: string;
  value: number | null;
}

/** A grid of percentages (0–100) shaded from red to green; empty cells stay blank. */
export function heatmap(
  rows: readonly string[],
  columns: readonly string[],
  cells: readonly HeatCell[],
  title: string,
): string {
  const cell = 28;
  const left = 90;
  const top = 70;
  const width = left + columns.length * cell + 10;
  const height = top + rows.length * cell + 10;
  const value = new Map(cells.map((c) => [`${c.row}|${c.column}`, c.value]));
  const colour = (v: number) => `hsl(${Math.round((v / 100) * 120)}, 60%, 45%)`;
  const heads = columns
    .map(
      (c, i) =>
        `<text transform="translate(${left + i * cell + cell / 2},${top - 6}) rotate(-60)" font-size="10">${escape(c)}</text>`,
    )
    .join('');
  const body = rows
    .map((r, j) => {
      const label = `<text x="0" y="${top + j * cell + 18}" font-size="11">${escape(r.length > 12 ? r.slice(0, 11) + '…' : r)}</text>`;
      const squares = columns
        .map((c, i) => {
          const v = value.get(`${r}|${c}`);
          if (v === undefined || v === null) return '';
          return `<rect x="${left + i * cell}" y="${top + j * cell}" width="${cell - 2}" height="${cell - 2}" fill="${colour(v)}"><title>${escape(`${r} · ${c}: ${v}%`)}</title></rect>`;
        })
        .join('');
      return label + squares;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="heatmap-title"><title id="heatmap-title">${escape(title)}</title>${heads}${body}</svg>`;
}
