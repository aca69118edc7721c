/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** The WCAG 2.2 AA rule set (2.0, 2.1 and 2.2, levels A and AA), as issue 23 asks. */
export const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** One thing to fix: the rule, where (CSS selectors of the offending nodes) and how. */
export interface AxeProblem {
  rule: string;
  impact: 'serious' | 'critical';
  help: string;
  targets: string[];
  /** What axe says is wrong with the first node, e.g. the contrast ratio it measured. */
  detail: string;
}

let source: string | undefined;
const axeSource = () =>
  (source ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));

/**
 * Runs axe-core on the page as it is now and returns its serious and critical WCAG A/AA
 * violations (minor and moderate ones are left to review). Injected from the test, so the
 * app never serves axe.
 */
export async function axeProblems(page: Page): Promise<AxeProblem[]> {
  // Evaluated rather than added as a <script>: the app's Content-Security-Policy refuses
  // inline scripts, and it stays on while axe looks at the page.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource());
  const violations = await page.evaluate(async (tags) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- axe is injected above
    const axe = (window as any).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations as {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: unknown[]; failureSummary?: string }[];
    }[];
  }, WCAG_AA_TAGS);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      rule: v.id,
      impact: v.impact as AxeProblem['impact'],
      help: v.help,
      targets: v.nodes.map((n) => n.target.map(String).join(' ')),
      detail: (v.nodes[0]?.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
    }));
}

/** A failure message naming the page, each rule, what to fix and where. */
export function describeProblems(where: string, problems: AxeProblem[]): string {
  return problems
    .map(
      (p) =>
        `${where}: ${p.rule} (${p.impact}) ${p.help}\n  where: ${p.targets.slice(0, 5).join(', ')}` +
        `${p.targets.length > 5 ? ` and ${p.targets.length - 5} more` : ''}\n  ${p.detail}`,
    )
    .join('\n');
}

/**
 * Headings that skip a level (an h1 followed by an h3): axe counts this as moderate, yet a
 * screen-reader user moving by headings reads it as a missing section (WCAG 1.3.1).
 */
export async function headingSkips(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const skips: string[] = [];
    let previous = 0;
    for (const h of document.querySelectorAll<HTMLElement>('h1, h2, h3, h4, h5, h6')) {
      if (!h.getClientRects().length) continue; // not shown (a closed dialog's title)
      const level = Number(h.tagName[1]);
      if (level > previous + 1)
        skips.push(`h${previous} → h${level} "${(h.textContent ?? '').trim().slice(0, 60)}"`);
      previous = level;
    }
    return skips;
  });
}
