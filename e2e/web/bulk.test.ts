/**
 * Bulk actions in a real browser against real processes: a folder with more messages than one
 * page of the list (the first page, 40 while the API first reads the folder or 200, and one more page
 * of 200 once the list nears its end), rows ticked by checkbox, shift-click and the keyboard, "select all in
 * the folder" including the messages never loaded, Archive and Delete with Undo, each checked in
 * the store. Screenshots 45-49 in e2e/artifacts/web/.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { ObjectId } from 'mongodb';
import type { Page } from 'playwright-core';
import { appendMessage, findMailbox, parseObjectId, storeContext } from '@wildduck/store';
import { auditAccessibility } from './axe.js';
import { BrowserScenarios, screenshot, signIn } from './browser.js';
import { startWebStack, type WebStack } from './stack.js';

const USER = 'bulk@bulk.test';
const PASSWORD = 'bulk-password-1';
/**
 * More than the list loads without scrolling (pages of 200, or of 40 while the API is still reading
 * the folder, and one page ahead): the oldest are not loaded until the list scrolls.
 */
const SEEDED = 260;

let stack: WebStack;
const browser = new BrowserScenarios('failed-bulk-', () => stack?.output() ?? '');
const { scenario } = browser;
let page: Page;
let userId: ObjectId;

before(
  async () => {
    stack = await startWebStack('bulk');
    userId = parseObjectId(await stack.createUser(USER, PASSWORD))!;
    await seedInbox(SEEDED);
    await browser.launch();
  },
  { timeout: 600_000 },
);

after(async () => {
  await browser.close();
  await stack?.stop();
});

/** Stores messages in INBOX with the store's append (as delivery does), a few at a time. */
async function seedInbox(count: number): Promise<void> {
  const ctx = storeContext(stack.mail.db);
  const inbox = (await findMailbox(stack.mail.db, userId, 'INBOX'))!._id!;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const number = String(index).padStart(3, '0');
      const bytes = Buffer.from(
        [
          'From: Newsletter <news@bulk.test>',
          `To: ${USER}`,
          `Subject: Issue ${number}`,
          'Date: Mon, 2 Nov 2026 10:00:00 +0000',
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=utf-8',
          '',
          `Issue number ${number} of the newsletter.`,
          '',
        ].join('\r\n'),
      );
      const outcome = await appendMessage(ctx, userId, inbox, Readable.from([bytes]));
      if (!outcome.ok) throw new Error(`append failed: ${outcome.code}`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

/** Messages in a mailbox of the user, and how many of them are read, as the store has them. */
async function storeCounts(path: string): Promise<{ messages: number; seen: number }> {
  const mailbox = await findMailbox(stack.mail.db, userId, path);
  if (!mailbox) return { messages: 0, seen: 0 };
  const messages = stack.mail.db.collection('messages');
  return {
    messages: await messages.countDocuments({ mailbox: mailbox._id }),
    seen: await messages.countDocuments({ mailbox: mailbox._id, flags: '\\Seen' }),
  };
}

/** Waits until the store shows `expected` for a mailbox (writes finish before the answer, but allow a moment). */
async function expectStore(path: string, expected: Partial<{ messages: number; seen: number }>) {
  const deadline = Date.now() + 10_000;
  let counts = await storeCounts(path);
  while (Object.entries(expected).some(([key, value]) => counts[key as 'messages' | 'seen'] !== value)) {
    if (Date.now() > deadline) assert.deepEqual(counts, { ...counts, ...expected }, `${path} in the store`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    counts = await storeCounts(path);
  }
}

const checkboxes = (on: Page) => on.getByTestId('row-checkbox');
const bulkCount = (on: Page) => on.getByTestId('bulk-count');

async function listCount(on: Page, count: number) {
  await on
    .getByTestId('list-count')
    .filter({ hasText: new RegExp(`^${count} messages$`) })
    .waitFor({ timeout: 45_000 });
}

/**
 * Signs in and waits for the list. The first read of a folder can outlast the web server's 30 s
 * wait on a busy machine: "Try again" (the list's own button) then reads it again.
 */
async function openWebmail(on: Page, count: number) {
  // (sign-in hashes the password: on a busy machine the first try can outlast the web's wait)
  await signIn(on, stack.webUrl, USER, PASSWORD, '/mail').catch(() =>
    signIn(on, stack.webUrl, USER, PASSWORD, '/mail'),
  );
  for (let attempt = 1; ; attempt++) {
    const outcome = await Promise.race([
      listCount(on, count).then(() => 'ready' as const),
      on
        .getByRole('button', { name: 'Try again' })
        .waitFor({ timeout: 45_000 })
        .then(() => 'error' as const),
    ]);
    if (outcome === 'ready') return;
    if (attempt === 3) throw new Error('the list could not be loaded three times');
    await on.getByRole('button', { name: 'Try again' }).click();
  }
}

scenario('rows ticked by checkbox and shift-click are marked read together', 120_000, async () => {
  page = await browser.newPage({ width: 1366, height: 900 });
  await openWebmail(page, SEEDED);
  await checkboxes(page).first().waitFor();
  assert.equal(await page.getByTestId('bulk-toolbar').count(), 0, 'no toolbar before a tick');

  // each checkbox is named after its message
  const first = (await checkboxes(page).nth(0).getAttribute('aria-label'))!;
  assert.match(first, /^Select Issue \d{3}$/);
  await page.getByRole('checkbox', { name: first, exact: true }).click();
  await bulkCount(page).filter({ hasText: '1 selected' }).waitFor();
  await checkboxes(page)
    .nth(4)
    .click({ modifiers: ['Shift'] });
  await bulkCount(page).filter({ hasText: '5 selected' }).waitFor();
  for (const index of [0, 1, 2, 3, 4])
    assert.equal(await checkboxes(page).nth(index).isChecked(), true, `row ${index} ticked`);
  assert.equal(await checkboxes(page).nth(5).isChecked(), false);
  // a tick does not open the message
  assert.equal(await page.getByTestId('reading-pane').count(), 0);
  await screenshot(page, '45-bulk-selection');
  await auditAccessibility(page, 'webmail: bulk toolbar');

  await page.getByTestId('bulk-toolbar').getByRole('button', { name: 'Mark read' }).click();
  await page.getByTestId('notice').filter({ hasText: '5 messages marked as read.' }).waitFor();
  await expectStore('INBOX', { messages: SEEDED, seen: 5 });
  assert.equal(await page.getByTestId('bulk-toolbar').count(), 0, 'the selection is cleared');
  assert.equal(await page.locator('[data-testid=message-row][data-unread=false]').count(), 5);
});

scenario(
  'select all in the folder takes the unloaded messages too: Archive, then Undo',
  120_000,
  async () => {
    await page.getByRole('checkbox', { name: 'Select all loaded messages' }).click();
    const banner = page.getByTestId('select-all-banner');
    const loadedText = banner.filter({ hasText: /All \d+ messages loaded are selected\./ });
    await loadedText.waitFor();
    const loaded = Number(/All (\d+) messages loaded/.exec(await loadedText.innerText())![1]);
    assert.ok(loaded > 0 && loaded < SEEDED, `${loaded} of ${SEEDED} loaded: some are not`);
    await bulkCount(page)
      .filter({ hasText: `${loaded} selected` })
      .waitFor();
    await banner.getByRole('button', { name: `Select all ${SEEDED} messages in Inbox` }).click();
    await banner.filter({ hasText: `All ${SEEDED} messages in Inbox are selected.` }).waitFor();
    await bulkCount(page)
      .filter({ hasText: `${SEEDED} selected` })
      .waitFor();
    await screenshot(page, '46-bulk-select-all-in-folder');
    await auditAccessibility(page, 'webmail: select all in folder');

    await page.getByTestId('bulk-toolbar').getByRole('button', { name: 'Archive' }).click();
    const toast = page.getByTestId('undo-toast');
    // (the server moves them one by one: give a busy machine time)
    await toast.filter({ hasText: `${SEEDED} messages moved to Archive.` }).waitFor({ timeout: 60_000 });
    await expectStore('INBOX', { messages: 0 });
    await expectStore('Archive', { messages: SEEDED, seen: 5 });
    await page.getByTestId('empty-list').waitFor();
    await screenshot(page, '47-bulk-undo-toast');

    await toast.getByRole('button', { name: 'Undo' }).click();
    await page
      .getByTestId('notice')
      .filter({ hasText: `${SEEDED} messages put back.` })
      .waitFor();
    await expectStore('INBOX', { messages: SEEDED, seen: 5 });
    await expectStore('Archive', { messages: 0 });
    await listCount(page, SEEDED);
  },
);

scenario(
  'x ticks from the keyboard, Escape clears; Delete goes to Trash and Undo brings it back',
  120_000,
  async () => {
    await page.getByTestId('message-list').focus();
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await bulkCount(page).filter({ hasText: '1 selected' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('bulk-toolbar').waitFor({ state: 'detached' });
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await bulkCount(page).filter({ hasText: '2 selected' }).waitFor();

    await page.getByTestId('bulk-toolbar').getByRole('button', { name: 'Delete' }).click();
    const toast = page.getByTestId('undo-toast');
    await toast.filter({ hasText: '2 messages deleted.' }).waitFor();
    await expectStore('Trash', { messages: 2 });
    await expectStore('INBOX', { messages: SEEDED - 2 });
    await listCount(page, SEEDED - 2);
    await toast.getByRole('button', { name: 'Undo' }).click();
    await page.getByTestId('notice').filter({ hasText: '2 messages put back.' }).waitFor();
    await expectStore('Trash', { messages: 0 });
    await expectStore('INBOX', { messages: SEEDED });
    await listCount(page, SEEDED);
  },
);

scenario('at phone width the toolbar fits, and Move to… moves the ticked messages', 120_000, async () => {
  const phone = await browser.newPage({ width: 390, height: 844 });
  await openWebmail(phone, SEEDED);
  await checkboxes(phone).nth(0).click();
  await checkboxes(phone)
    .nth(2)
    .click({ modifiers: ['Shift'] });
  await bulkCount(phone).filter({ hasText: '3 selected' }).waitFor();
  const toolbar = phone.getByTestId('bulk-toolbar');
  const box = await toolbar.boundingBox();
  assert.ok(
    box && box.x >= 0 && box.x + box.width <= 390,
    `the toolbar fits the screen: ${JSON.stringify(box)}`,
  );
  await screenshot(phone, '48-bulk-phone-toolbar');
  await auditAccessibility(phone, 'webmail: bulk toolbar (phone)');

  // Move to… is a menu button: the menu fits the screen too, and moves only once Junk is chosen
  await toolbar.getByRole('button', { name: 'Move selected to folder' }).click();
  const moveMenu = phone.getByRole('menu', { name: 'Move selected to folder' });
  await moveMenu.waitFor();
  const menuBox = await moveMenu.boundingBox();
  assert.ok(
    menuBox && menuBox.x >= 0 && menuBox.x + menuBox.width <= 390,
    `the Move menu fits the screen: ${JSON.stringify(menuBox)}`,
  );
  await auditAccessibility(phone, 'webmail: bulk move menu (phone)');
  await moveMenu.getByRole('menuitem', { name: 'Junk', exact: true }).click();
  await phone.getByTestId('undo-toast').filter({ hasText: '3 messages moved to Junk.' }).waitFor();
  await expectStore('Junk', { messages: 3 });
  await expectStore('INBOX', { messages: SEEDED - 3 });
  await listCount(phone, SEEDED - 3);
  await screenshot(phone, '49-bulk-phone-moved');
});
