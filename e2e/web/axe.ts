/**
 * The accessibility audit of a screen: axe-core (the engine @axe-core/playwright wraps) injected
 * into the page and run on what it shows now. A serious or critical violation fails the test; every
 * audit's counts are appended to e2e/artifacts/web/axe-results.jsonl, which the issue note quotes.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsDir } from './browser.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** What the audit of one screen found. */
export interface AxeSummary {
  screen: string;
  url: string;
  /** Violations by impact (minor, moderate, serious, critical). */
  impacts: Record<string, number>;
  /** Rules checked and passed. */
  passes: number;
  /** Every violation: rule, impact, how many elements, the first element's selector. */
  violations: { id: string; impact: string | null; nodes: number; target: string }[];
}

interface AxeResults {
  passes: unknown[];
  violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[];
}

/**
 * Audits the page as it is (WCAG 2.1 A and AA rules and axe's best practices) and records the
 * result; throws, listing them, when a violation is serious or critical.
 */
export async function auditAccessibility(page: Page, screen: string): Promise<AxeSummary> {
  const injected = await page.evaluate(() => 'axe' in window);
  if (!injected) await page.addScriptTag({ content: axeSource });
  const results = (await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<unknown> } }
    ).axe;
    return axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
  })) as AxeResults;
  const impacts: Record<string, number> = {};
  for (const violation of results.violations)
    impacts[violation.impact ?? 'none'] = (impacts[violation.impact ?? 'none'] ?? 0) + 1;
  const summary: AxeSummary = {
    screen,
    url: new URL(page.url()).pathname + new URL(page.url()).search,
    impacts,
    passes: results.passes.length,
    violations: results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      nodes: violation.nodes.length,
      target: JSON.stringify(violation.nodes[0]?.target ?? []),
    })),
  };
  mkdirSync(artifactsDir, { recursive: true });
  appendFileSync(join(artifactsDir, 'axe-results.jsonl'), `${JSON.stringify(summary)}\n`);
  const blocking = summary.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (blocking.length) {
    throw new Error(
      `accessibility: ${screen} has ${blocking.length} serious or critical violation(s):\n` +
        blocking.map((v) => `  ${v.impact} ${v.id} (${v.nodes} elements, first ${v.target})`).join('\n'),
    );
  }
  return summary;
}
