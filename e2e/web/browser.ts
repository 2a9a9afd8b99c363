/** Debian's Chromium driven by playwright-core, headless; installed with apt-get when missing. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from '../imap/server-process.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Where each run saves its screenshots (git-ignored). */
export const artifactsDir = join(repoRoot, 'e2e', 'artifacts', 'web');

/** Installs Debian's chromium package when the browser is not there yet. */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  console.log('[e2e/web] Chromium is missing: apt-get install -y chromium');
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  if (install().status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    install();
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not at ${CHROMIUM} and could not be installed: run "apt-get install -y chromium" as root`,
    );
  }
}

export async function launchBrowser(): Promise<Browser> {
  ensureChromium();
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/** Saves a full-page screenshot as e2e/artifacts/web/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: true });
}

/**
 * The browser of one test file: every page in a context of its own (its own sign-in), all closed
 * by close(); and scenario(), a test that, when it fails, saves a screenshot of every open page as
 * `<failurePrefix><n>.png` and adds the last output of the API and web processes to the error.
 */
export class BrowserScenarios {
  private browser: Browser | undefined;
  private readonly contexts: BrowserContext[] = [];

  /** `output`: everything the servers under test printed so far. */
  constructor(
    private readonly failurePrefix: string,
    private readonly output: () => string,
  ) {}

  async launch(): Promise<void> {
    this.browser = await launchBrowser();
  }

  async newPage(viewport: { width: number; height: number }): Promise<Page> {
    const context = await this.browser!.newContext({ viewport });
    this.contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  }

  readonly scenario = (name: string, timeout: number, body: () => Promise<void>): void => {
    test(name, { timeout }, async () => {
      try {
        await body();
      } catch (error) {
        const pages = this.contexts.flatMap((context) => context.pages());
        for (const [index, page] of pages.entries()) {
          await screenshot(page, `${this.failurePrefix}${index + 1}`).catch(() => undefined);
        }
        const output = this.output().slice(-4000);
        if (error instanceof Error) error.message += `\n--- API and web output (end) ---\n${output}`;
        throw error;
      }
    });
  };

  async close(): Promise<void> {
    for (const context of this.contexts) await context.close().catch(() => undefined);
    await this.browser?.close().catch(() => undefined);
  }
}

/** Signs in through the sign-in page and waits for the page it returns to. */
export async function signIn(
  page: Page,
  baseUrl: string,
  address: string,
  password: string,
  returnTo: string,
): Promise<void> {
  await page.goto(`${baseUrl}/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  await page.getByLabel('Email address').fill(address);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === returnTo, { timeout: 20_000 });
}
