/**
 * A horizontal bar chart drawn on the server as inline SVG (ADR 0040, the impact report and
 * the agency plan): no script, no font or library from elsewhere, a few kilobytes. It is an
 * image with a name (`role="img"`, `aria-label`, `<title>`) and a `<desc>` that reads every
 * value aloud; each bar prints its value, so colour never carries the number alone. Labels
 * come from authors (course titles, unit names) and are escaped: a title holding `<script>`
 * is text, never markup.
 */

export interface ChartBar {
  label: string;
  /** Null: no value (shown as "–", no bar). */
  value: number | null;
  /** A second marker on the bar, e.g. a budget ceiling; drawn as a line and told in words. */
  mark?: number | null;
  /** Draw the bar in the warning colour (e.g. over its ceiling); the text says so too. */
  warn?: boolean;
}

export interface BarChartOptions {
  title: string;
  /** How a value is written ("51,5 %", "Rp 1.000.000"); default its plain number. */
  format?: (value: number) => string;
  /** The axis's far end; default the largest value (or mark). */
  max?: number;
  /** Words for the mark in the description, e.g. "pagu". */
  markLabel?: string;
  /** Words added to a warned bar's value, e.g. "melebihi pagu". */
  warnLabel?: string;
}

/** Text safe inside SVG/XML element content and attribute values. */
export function escapeXml(text: string): string {
  return (
    String(text)
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
      .replace(
        /[&<>"']/g,
        (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
      )
  );
}

const WIDTH = 420;
const LABEL_WIDTH = 150;
const VALUE_WIDTH = 90;
const ROW = 24;
const BAR = 16;
const TOP = 4;

/** Shortens a label for the drawing; the full one stays in the bar's title and the description. */
const short = (label: string, max = 22) =>
  label.length > max ? `${label.slice(0, max - 1)}…` : label;

/** An inline `<svg>` of horizontal bars, one per row; negative values extend left of zero. */
export function barChart(rows: readonly ChartBar[], options: BarChartOptions): string {
  const format = options.format ?? ((v: number) => String(v));
  const values = rows.flatMap((r) => [r.value, r.mark ?? null]).filter(isNumber);
  const high = Math.max(options.max ?? 0, ...values, 0);
  const low = Math.min(0, ...values);
  const span = high - low || 1;
  const area = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const x = (v: number) => LABEL_WIDTH + ((v - low) / span) * area;
  const zero = x(0);
  const height = TOP * 2 + Math.max(rows.length, 1) * ROW;

  const said = (r: ChartBar) => {
    const parts = [r.value === null ? '–' : format(r.value)];
    if (isNumber(r.mark ?? null) && options.markLabel)
      parts.push(`${options.markLabel} ${format(r.mark as number)}`);
    if (r.warn && options.warnLabel) parts.push(options.warnLabel);
    return `${r.label}: ${parts.join(', ')}`;
  };

  const body = rows
    .map((r, i) => {
      const y = TOP + i * ROW;
      const parts = [
        `<text x="0" y="${y + 13}" font-size="12">${escapeXml(short(r.label))}</text>`,
      ];
      if (r.value !== null) {
        const from = Math.min(zero, x(r.value));
        const width = Math.max(Math.abs(x(r.value) - zero), 1);
        parts.push(
          `<rect x="${round(from)}" y="${y}" width="${round(width)}" height="${BAR}" fill="${r.warn ? '#b42318' : '#1d4e89'}"><title>${escapeXml(said(r))}</title></rect>`,
        );
      }
      if (isNumber(r.mark ?? null))
        parts.push(
          `<line x1="${round(x(r.mark as number))}" x2="${round(x(r.mark as number))}" y1="${y - 2}" y2="${y + BAR + 2}" stroke="#111" stroke-width="2"/>`,
        );
      const shown = (r.value === null ? '–' : format(r.value)) + (r.warn ? ' ⚠' : '');
      parts.push(
        `<text x="${WIDTH - VALUE_WIDTH + 4}" y="${y + 13}" font-size="11">${escapeXml(shown)}</text>`,
      );
      return parts.join('');
    })
    .join('');
  const axis =
    low < 0
      ? `<line x1="${round(zero)}" x2="${round(zero)}" y1="0" y2="${height}" stroke="#667085" stroke-width="1"/>`
      : '';
  const description = rows.length ? rows.map(said).join('; ') : '–';
  const title = escapeXml(options.title);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="${title}"><title>${title}</title><desc>${escapeXml(description)}</desc>${axis}${body}</svg>`;
}

function isNumber(value: number | null): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

const round = (v: number) => Math.round(v * 10) / 10;
