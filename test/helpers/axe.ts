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
 * violations (minor and moderate ones are left to review). Injected as an inline script,
 * so it works on any page without serving axe from the app.
 */
export async function axeProblems(page: Page): Promise<AxeProblem[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ content: axeSource() });
  }
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
        `${where}: ${p.rule} (${p.impact}) ${p.help}\n  at ${p.targets.slice(0, 5).join(', ')}` +
        `${p.targets.length > 5 ? ` and ${p.targets.length - 5} more` : ''}\n  ${p.detail}`,
    )
    .join('\n');
}
