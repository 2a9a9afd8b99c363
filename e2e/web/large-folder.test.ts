/**
 * A 20,000-message folder in a real browser against the real stack (mail server, API and the web
 * app's production build on the store `npm test` started): the messages are real, appended through
 * the mail service's batch append (indexed, with their search documents, journal entries and
 * counters). The folder opens, scrolls at display rate with only the rows in view in the page,
 * reaches its oldest message, and answers a search by a body word and by a sender. The figures
 * (first rows, frame times, search times) are printed (`[e2e/web] large folder: ...`), not asserted.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createChangeBus, type ChangeBus } from '@wildduck/change-bus';
import { openSharedLocks, type SharedLocks } from '@wildduck/mail-service';
import { findMailbox, parseObjectId, storeContext } from '@wildduck/store';
import { auditAccessibility } from './axe.js';
import { BrowserScenarios, screenshot, signIn } from './browser.js';
import {
  isRareSenderMessage,
  isRareWordMessage,
  LAST_SUBJECT,
  largeFolderSubject,
  RARE_SENDER,
  RARE_WORD,
} from './large-folder-messages.js';
import { seedLargeFolder } from './large-folder-seed.js';
import { startWebStack, type WebStack } from './stack.js';

const USER = 'reader@large.test';
const PASSWORD = 'reader-password-1';
const TOTAL = 20_000;

let stack: WebStack;
let locks: SharedLocks | undefined;
let bus: ChangeBus | undefined;
const browser = new BrowserScenarios('failed-large-', () => stack?.output() ?? '');
const { scenario } = browser;

const log = (line: string) => console.log(`[e2e/web] large folder: ${line}`);

before(
  async () => {
    stack = await startWebStack('large');
    const userId = parseObjectId(await stack.createUser(USER, PASSWORD))!;
    const inbox = await findMailbox(stack.mail.db, userId, 'INBOX');
    assert.ok(inbox, 'the new user has an INBOX');
    // the same locks and change bus as the mail server and the API (Redis when npm test has one)
    locks = openSharedLocks(stack.mail.db, process.env.REDIS_URL);
    bus = createChangeBus(process.env.REDIS_URL);
    const started = performance.now();
    await seedLargeFolder({ ctx: storeContext(stack.mail.db, locks.locks), bus }, userId, inbox._id!, TOTAL);
    log(`seeded ${TOTAL} messages through the batch append in ${seconds(performance.now() - started)}`);
    analyzeTestStore();
    await browser.launch();
  },
  { timeout: 900_000 },
);

after(async () => {
  // what the API and the web app logged (an error's stack was captured before the scenario added it)
  if (process.exitCode)
    console.log(`[e2e/web] large folder: server output (end)\n${stack?.output().slice(-6000)}`);
  await browser.close();
  await bus?.close();
  await locks?.close();
  await stack?.stop();
});

/**
 * On FerretDB over the local PostgreSQL, 20,000 rows inserted in half a minute leave the planner's
 * statistics behind until autovacuum analyzes the tables (up to a minute or more): meanwhile it
 * may scan a whole table for a `{mailbox, uid}` point read instead of using the GIN index, as
 * packages/store/scripts/measure-search.ts found. So the test analyzes, as a store filled over
 * weeks would have been (the database is the one `npm test` made: embedded-store postgres.ts).
 */
function analyzeTestStore(): void {
  const runDir = process.env.WILDDUCK_TEST_DIR;
  if (!runDir) return;
  const database = `wildduck_${createHash('sha256')
    .update(resolve(join(runDir, 'store')))
    .digest('hex')
    .slice(0, 12)}`;
  const result = spawnSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', database, '-tAc', 'ANALYZE'], {
    encoding: 'utf8',
  });
  log(result.status === 0 ? `analyzed ${database}` : `no ANALYZE (${result.stderr?.trim() || 'no psql'})`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function row(page: Page, subject: string) {
  return page.getByTestId('message-row').filter({ hasText: subject });
}

/** The list's count line reads exactly `text`. */
async function countIs(page: Page, text: string, timeout?: number): Promise<void> {
  await page
    .getByTestId('list-count')
    .filter({ hasText: new RegExp(`^${text}$`) })
    .waitFor(timeout === undefined ? {} : { timeout });
}

/** Submits a search and measures from Enter to its rows and count on screen. */
async function search(page: Page, text: string, expected: number[]): Promise<number> {
  const box = page.getByRole('searchbox', { name: 'Search in Inbox' });
  await box.fill(text);
  const started = performance.now();
  await box.press('Enter');
  await page.getByText(`Results for “${text}”`).waitFor();
  await countIs(page, `${expected.length} ${expected.length === 1 ? 'message' : 'messages'}`);
  // newest first: the highest message number is the first row
  await row(page, largeFolderSubject(expected.at(-1)!, TOTAL)).waitFor();
  const elapsed = performance.now() - started;
  // the list draws only the rows in view: those are the newest matches, in order
  const shown = await page.getByTestId('message-row').allInnerTexts();
  assert.ok(
    shown.length > 0 && shown.length <= expected.length,
    `${shown.length} rows for ${expected.length} matches`,
  );
  const newest = [...expected].reverse().slice(0, shown.length);
  for (const [position, index] of newest.entries()) {
    const subject = largeFolderSubject(index, TOTAL);
    assert.ok(shown[position]!.includes(subject), `row ${position + 1} is "${subject}": ${shown[position]}`);
  }
  return elapsed;
}

scenario(
  'a 20,000-message folder on the real store opens, scrolls smoothly, reaches its end and answers searches in under a second',
  600_000,
  async () => {
    const page = await browser.newPage({ width: 1366, height: 900 });

    // the first visit: the API has never read this folder; its first pages come from point reads
    // while it reads the folder once in the background
    let started = performance.now();
    await signIn(page, stack.webUrl, USER, PASSWORD, '/mail');
    const signedIn = performance.now();
    await countIs(page, '20,000 messages', 60_000);
    await row(page, LAST_SUBJECT).waitFor();
    log(
      `first visit: first rows ${seconds(performance.now() - signedIn)} after the sign-in landed on /mail (sign-in ${seconds(signedIn - started)})`,
    );

    // the end of the folder: the pages load one after another until the oldest message is there
    started = performance.now();
    await page.evaluate(() => {
      const list = document.querySelector('[data-testid=message-list]') as HTMLElement;
      list.scrollTop = list.scrollHeight;
    });
    await row(page, largeFolderSubject(0, TOTAL)).waitFor({ timeout: 240_000 });
    log(`the oldest message shown ${seconds(performance.now() - started)} after jumping to the end`);
    assert.ok((await page.getByTestId('message-row').count()) < 60);
    await screenshot(page, '13-mail-20000-messages');
    await auditAccessibility(page, 'large folder');

    // opened again (a reload: the page, its session and the first page of the list)
    started = performance.now();
    await page.reload();
    await countIs(page, '20,000 messages');
    await row(page, LAST_SUBJECT).waitFor();
    const reopened = performance.now() - started;
    log(`first rows ${seconds(reopened)} after navigation (reload)`);

    // scrolling, now that the API's first read of the folder is not competing for the machine
    const scrolled = await page.evaluate(async () => {
      const list = document.querySelector('[data-testid=message-list]') as HTMLElement;
      const frames: number[] = [];
      let mostRows = 0;
      let last = performance.now();
      const end = last + 2_000;
      while (performance.now() < end) {
        list.scrollTop += 150;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = performance.now();
        frames.push(now - last);
        last = now;
        mostRows = Math.max(mostRows, document.querySelectorAll('[data-testid=message-row]').length);
      }
      frames.sort((a, b) => a - b);
      return {
        median: frames[Math.floor(frames.length / 2)] ?? 0,
        p95: frames[Math.floor(frames.length * 0.95)] ?? 0,
        frames: frames.length,
        mostRows,
        scrollHeight: list.scrollHeight,
      };
    });
    log(
      `scrolling 2 s: ${scrolled.frames} frames, median ${scrolled.median.toFixed(1)} ms, p95 ${scrolled.p95.toFixed(1)} ms, at most ${scrolled.mostRows} rows in the page`,
    );
    assert.ok(scrolled.mostRows < 60, `${scrolled.mostRows} rows were in the page at once`);
    assert.ok(scrolled.scrollHeight >= TOTAL * 80, 'the scroll range covers every message');
    const word = Array.from({ length: TOTAL }, (_, index) => index).filter(isRareWordMessage);
    const wordMs = await search(page, RARE_WORD, word);
    log(`search "${RARE_WORD}" (body): ${word.length} results ${Math.round(wordMs)} ms after Enter`);
    await screenshot(page, '67-mail-20000-search-body-word');

    const sender = Array.from({ length: TOTAL }, (_, index) => index).filter(isRareSenderMessage);
    const senderMs = await search(page, RARE_SENDER, sender);
    log(`search "${RARE_SENDER}" (sender): ${sender.length} results ${Math.round(senderMs)} ms after Enter`);
    await screenshot(page, '68-mail-20000-search-sender');

    // a result opens; clearing the search brings the whole folder back
    const newest = largeFolderSubject(sender.at(-1)!, TOTAL);
    await row(page, newest).click();
    await page.getByRole('heading', { name: newest }).waitFor();
    await screenshot(page, '69-mail-20000-search-result-open');
    await page.getByRole('button', { name: 'Clear search' }).click();
    await countIs(page, '20,000 messages');

    // the figures are printed, not asserted: speed is measured, not timed in tests (apps/web's
    // README quotes them; the aims: first rows under 2 s, scrolling under 50 ms a frame, each
    // search under a second)
    log(
      `figures: reopened ${seconds(reopened)}, scrolling median ${scrolled.median.toFixed(1)} ms a frame, ` +
        `body-word search ${Math.round(wordMs)} ms, sender search ${Math.round(senderMs)} ms`,
    );
  },
);
