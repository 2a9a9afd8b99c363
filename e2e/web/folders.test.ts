/**
 * Folder management in the webmail, in a real browser against the real mail server, API and web
 * app: nested folders made from New folder and from a folder's Actions menu (driven from the
 * keyboard), rename, a folder dragged under another and back to the top level, delete with its
 * messages going to Trash, Empty Trash and Empty Junk, and unread counts that follow what an IMAP
 * client and an LMTP delivery do, without a reload. An IMAP client checks every change.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ImapFlow } from 'imapflow';
import type { Locator, Page } from 'playwright-core';
import { auditAccessibility } from './axe.js';
import { BrowserScenarios, screenshot, signIn } from './browser.js';
import { deliverByLmtp } from './deliver.js';
import { startWebStack, type WebStack } from './stack.js';

const USER = 'fern@folders.test';
const PASSWORD = 'folders-password-1';

let stack: WebStack;
const browser = new BrowserScenarios('failed-folders-', () => stack?.output() ?? '');
const { scenario } = browser;
let page: Page;
let imap: ImapFlow;

before(
  async () => {
    stack = await startWebStack('folders');
    await stack.createUser(USER, PASSWORD);
    await browser.launch();
    imap = new ImapFlow({
      host: stack.mail.host,
      port: stack.mail.imapPort,
      secure: false,
      auth: { user: USER, pass: PASSWORD },
      logger: false,
      tls: { rejectUnauthorized: false },
    });
    await imap.connect();
  },
  { timeout: 600_000 },
);

after(async () => {
  await imap?.logout().catch(() => undefined);
  await browser.close();
  await stack?.stop();
});

const nav = (on: Page) => on.getByRole('navigation', { name: 'Folders' });

/** A folder's button by its label: "Work", or "Work, 2 unread". */
function folder(on: Page, label: string): Locator {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return nav(on).getByRole('button', { name: new RegExp(`^${escaped}(, \\d+ unread)?$`) });
}

const actionsButton = (on: Page, label: string) =>
  nav(on).getByRole('button', { name: `Actions for ${label}` });

/** Chooses an item of a folder's Actions menu with the mouse. */
async function chooseAction(on: Page, label: string, item: string): Promise<void> {
  await actionsButton(on, label).click();
  await on
    .getByRole('menu', { name: `Actions for ${label}` })
    .getByRole('menuitem', { name: item })
    .click();
}

/** The mailboxes IMAP LIST shows, sorted. */
async function listed(): Promise<string[]> {
  return (await imap.list()).map((box) => box.path).sort();
}

const DEFAULT_BOXES = ['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent Mail', 'Trash'];

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Waits until IMAP LIST shows exactly these mailboxes besides the default ones. */
async function listedEventually(extra: string[]): Promise<void> {
  const expected = [...DEFAULT_BOXES, ...extra].sort();
  let last: string[] = [];
  await until(`IMAP LIST to show ${expected.join(', ')}`, async () => {
    last = await listed();
    return JSON.stringify(last) === JSON.stringify(expected) ? true : undefined;
  }).catch((error: Error) => {
    throw new Error(`${error.message}; it shows ${last.join(', ')}`);
  });
}

/** Messages and unseen messages of a mailbox, by IMAP STATUS. */
async function status(path: string): Promise<[number, number]> {
  const answer = await imap.status(path, { messages: true, unseen: true });
  if (!answer) throw new Error(`no STATUS for ${path}`);
  return [answer.messages ?? -1, answer.unseen ?? -1];
}

/** Moves the INBOX messages with this subject into `path` over IMAP. */
async function imapMove(subject: string, path: string): Promise<void> {
  const lock = await imap.getMailboxLock('INBOX');
  try {
    // the session learns of new mail at its next command: NOOP, so SEARCH sees the delivery
    await imap.noop();
    const uids = await imap.search({ subject }, { uid: true });
    assert.ok(uids && uids.length, `no message "${subject}" in INBOX`);
    await imap.messageMove(uids, path, { uid: true });
  } finally {
    lock.release();
  }
}

async function deliver(subject: string): Promise<void> {
  await deliverByLmtp(stack.mail.lmtpPort, {
    from: 'Quinn <quinn@elsewhere.test>',
    to: USER,
    subject,
    text: `This is ${subject}.`,
  });
}

scenario(
  'nested folders from New folder and from the Actions menu, used from the keyboard',
  240_000,
  async () => {
    page = await browser.newPage({ width: 1366, height: 900 });
    await signIn(page, stack.webUrl, USER, PASSWORD, '/mail');
    await folder(page, 'Inbox').waitFor();

    await nav(page).getByRole('button', { name: 'New folder' }).click();
    const create = page.getByRole('dialog', { name: 'New folder' });
    await create.getByLabel('Name').fill('Projects');
    assert.equal(await create.getByLabel('Inside').inputValue(), '', 'a new folder starts at the top level');
    await create.getByRole('button', { name: 'Create' }).click();
    await folder(page, 'Projects').waitFor();

    // the Actions menu from the keyboard: Enter opens it on its first item, the arrows move,
    // Escape closes it and gives the focus back to its button
    const actions = actionsButton(page, 'Projects');
    await actions.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: 'Actions for Projects' });
    await menu.waitFor();
    assert.equal(await actions.getAttribute('aria-expanded'), 'true');
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
    assert.equal(await focused(), 'New subfolder');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'Rename');
    await page.keyboard.press('End');
    assert.equal(await focused(), 'Delete');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'New subfolder', 'the arrows wrap around');
    await page.keyboard.press('m');
    assert.equal(await focused(), 'Move to…', 'a typed letter goes to the item starting with it');
    await page.keyboard.press('Home');
    assert.equal(await focused(), 'New subfolder');
    assert.deepEqual(await menu.getByRole('menuitem').allInnerTexts(), [
      'New subfolder',
      'Rename',
      'Move to…',
      'Share…',
      'Delete',
    ]);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
      'Actions for Projects',
    );

    // New subfolder, all by keyboard: the dialog opens with the parent chosen
    await page.keyboard.press('ArrowDown');
    await menu.waitFor();
    await page.keyboard.press('Enter');
    const sub = page.getByRole('dialog', { name: 'New subfolder' });
    await sub.waitFor();
    assert.equal(await sub.getByLabel('Inside').inputValue(), 'Projects');
    await page.keyboard.type('Alpha');
    await page.keyboard.press('Enter');
    await sub.waitFor({ state: 'detached' });
    const projectsChildren = nav(page).getByRole('list', { name: 'Subfolders of Projects' });
    await projectsChildren.getByRole('button', { name: /^Alpha/ }).waitFor();
    await listedEventually(['Projects', 'Projects/Alpha']);

    // a path with slashes makes the missing parents, as IMAP CREATE does
    await nav(page).getByRole('button', { name: 'New folder' }).click();
    await create.getByLabel('Name').fill('Clients/Acme');
    await create.getByRole('button', { name: 'Create' }).click();
    await nav(page)
      .getByRole('list', { name: 'Subfolders of Clients' })
      .getByRole('button', { name: /^Acme/ })
      .waitFor();
    await listedEventually(['Clients', 'Clients/Acme', 'Projects', 'Projects/Alpha']);

    // collapse and expand; the state outlives a reload
    const disclosure = nav(page).getByRole('button', { name: 'Subfolders of Projects' });
    assert.equal(await disclosure.getAttribute('aria-expanded'), 'true');
    await disclosure.click();
    await projectsChildren.waitFor({ state: 'detached' });
    await page.reload();
    await folder(page, 'Projects').waitFor();
    await page.waitForFunction(
      () =>
        document
          .querySelector('button[aria-label="Subfolders of Projects"]')
          ?.getAttribute('aria-expanded') === 'false',
    );
    assert.equal(await projectsChildren.count(), 0, 'still collapsed after a reload');
    await disclosure.click();
    await projectsChildren.waitFor();

    await actionsButton(page, 'Alpha').click();
    await page.getByRole('menu', { name: 'Actions for Alpha' }).waitFor();
    await screenshot(page, '50-folders-tree-actions-menu');
    await auditAccessibility(page, 'webmail folders: tree with an actions menu open');
    await page.keyboard.press('Escape');
  },
);

scenario('at phone width the folder drawer shows the tree and its menus', 120_000, async () => {
  const phone = await browser.newPage({ width: 390, height: 844 });
  await signIn(phone, stack.webUrl, USER, PASSWORD, '/mail');
  await phone.getByRole('button', { name: 'Show folders' }).click();
  await folder(phone, 'Projects').waitFor();
  await actionsButton(phone, 'Projects').click();
  await phone.getByRole('menu', { name: 'Actions for Projects' }).waitFor();
  await screenshot(phone, '53-folders-phone-drawer');
  await auditAccessibility(phone, 'webmail folders: phone drawer with a menu');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
});

scenario('rename, drag a folder under another and back to the top level, Move to…', 240_000, async () => {
  await chooseAction(page, 'Alpha', 'Rename');
  const rename = page.getByRole('dialog', { name: 'Rename Alpha' });
  await rename.waitFor();
  await screenshot(page, '51-folders-rename-dialog');
  await auditAccessibility(page, 'webmail folders: rename dialog');
  await rename.getByLabel('New name').fill('Beta');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await rename.waitFor({ state: 'detached' });
  await folder(page, 'Beta').waitFor();
  await listedEventually(['Clients', 'Clients/Acme', 'Projects', 'Projects/Beta']);

  // a name that exists is refused, with the API's reason, and nothing changes
  await chooseAction(page, 'Projects', 'Rename');
  const renameProjects = page.getByRole('dialog', { name: 'Rename Projects' });
  await renameProjects.getByLabel('New name').fill('Clients');
  await renameProjects.getByRole('button', { name: 'Rename' }).click();
  assert.match(await renameProjects.getByRole('alert').innerText(), /exists already/);
  await renameProjects.getByRole('button', { name: 'Cancel' }).click();
  await renameProjects.waitFor({ state: 'detached' });

  // drag Projects (with Beta inside) onto Clients
  await folder(page, 'Projects').dragTo(folder(page, 'Clients'));
  await listedEventually(['Clients', 'Clients/Acme', 'Clients/Projects', 'Clients/Projects/Beta']);
  await nav(page)
    .getByRole('list', { name: 'Subfolders of Clients' })
    .getByRole('button', { name: /^Projects/ })
    .waitFor();
  await nav(page)
    .getByRole('list', { name: 'Subfolders of Projects' })
    .getByRole('button', { name: /^Beta/ })
    .waitFor();

  // drag Beta onto "Top level", which shows while a folder is dragged
  const source = folder(page, 'Beta');
  await source.hover();
  await page.mouse.down();
  const sourceBox = (await source.boundingBox())!;
  await page.mouse.move(sourceBox.x + 20, sourceBox.y + 30, { steps: 4 });
  const topLevel = page.getByTestId('top-level-drop');
  await topLevel.waitFor();
  const topBox = (await topLevel.boundingBox())!;
  await page.mouse.move(topBox.x + topBox.width / 2, topBox.y + topBox.height / 2, { steps: 6 });
  await page.mouse.up();
  await listedEventually(['Beta', 'Clients', 'Clients/Acme', 'Clients/Projects']);
  await topLevel.waitFor({ state: 'detached' });

  // Move to… does the same from the keyboard
  await chooseAction(page, 'Beta', 'Move to…');
  const move = page.getByRole('dialog', { name: 'Move Beta' });
  await move.getByLabel('Move into').selectOption('Clients/Acme');
  await move.getByRole('button', { name: 'Move' }).click();
  await move.waitFor({ state: 'detached' });
  await listedEventually(['Clients', 'Clients/Acme', 'Clients/Acme/Beta', 'Clients/Projects']);
  await nav(page)
    .getByRole('list', { name: 'Subfolders of Acme' })
    .getByRole('button', { name: /^Beta/ })
    .waitFor();

  // a message dragged onto a folder still moves there
  await deliver('Drag me');
  await page.getByTestId('message-row').filter({ hasText: 'Drag me' }).dragTo(folder(page, 'Projects'));
  await until('the dragged message in Clients/Projects', async () =>
    (await status('Clients/Projects'))[0] === 1 ? true : undefined,
  );
  await folder(page, 'Projects, 1 unread').waitFor();
});

scenario('delete a folder with its subfolders: confirmed, its messages go to Trash', 240_000, async () => {
  await deliver('Invoice March');
  await deliver('Invoice April');
  await until('the deliveries in INBOX', async () => ((await status('INBOX'))[0] >= 2 ? true : undefined));
  await imapMove('Invoice March', 'Clients/Acme');
  await imapMove('Invoice April', 'Clients/Acme/Beta');
  await folder(page, 'Acme, 1 unread').waitFor();
  await folder(page, 'Beta, 1 unread').waitFor();

  await chooseAction(page, 'Clients', 'Delete');
  const confirm = page.getByRole('dialog', { name: 'Delete Clients?' });
  await confirm.waitFor();
  assert.match(await confirm.innerText(), /The folder Clients and its 3 subfolders will be deleted\./);
  assert.equal(
    await confirm.getByTestId('delete-folder-count').innerText(),
    '3 messages will be moved to Trash.',
  );
  await screenshot(page, '52-folders-delete-confirm');
  await auditAccessibility(page, 'webmail folders: delete confirmation');
  // Cancel changes nothing
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await listedEventually(['Clients', 'Clients/Acme', 'Clients/Acme/Beta', 'Clients/Projects']);

  await chooseAction(page, 'Clients', 'Delete');
  await confirm.getByRole('button', { name: 'Delete folder' }).click();
  await confirm.waitFor({ state: 'detached' });
  await folder(page, 'Clients').waitFor({ state: 'detached' });
  await listedEventually([]);
  assert.deepEqual(await status('Trash'), [3, 3]);
  await folder(page, 'Trash, 3 unread').waitFor();
  await page.getByText('3 messages moved to Trash').waitFor();

  // INBOX and the special folders offer no Delete (they can be shared)
  await actionsButton(page, 'Inbox').click();
  assert.deepEqual(
    await page.getByRole('menu', { name: 'Actions for Inbox' }).getByRole('menuitem').allInnerTexts(),
    ['New subfolder', 'Share…'],
  );
  await page.keyboard.press('Escape');
});

scenario('Empty Trash and Empty Junk, each confirmed', 240_000, async () => {
  await imap.append('Junk', Buffer.from('From: a@spam.test\r\nSubject: Win big\r\n\r\nNow.\r\n'));
  await imap.append('Junk', Buffer.from('From: b@spam.test\r\nSubject: Win bigger\r\n\r\nNow.\r\n'));
  await folder(page, 'Junk, 2 unread').waitFor();

  await chooseAction(page, 'Trash', 'Empty Trash');
  const emptyTrash = page.getByRole('dialog', { name: 'Empty Trash?' });
  assert.match(await emptyTrash.innerText(), /All 3 messages in Trash will be deleted for good/);
  await emptyTrash.getByRole('button', { name: 'Empty Trash' }).click();
  await emptyTrash.waitFor({ state: 'detached' });
  await folder(page, 'Trash').waitFor();
  assert.deepEqual(await status('Trash'), [0, 0]);

  // from the open Junk folder: its list empties live
  await folder(page, 'Junk, 2 unread').click();
  await page.getByTestId('message-row').filter({ hasText: 'Win bigger' }).waitFor();
  await chooseAction(page, 'Junk', 'Empty Junk');
  const emptyJunk = page.getByRole('dialog', { name: 'Empty Junk?' });
  await emptyJunk.waitFor();
  await screenshot(page, '54-folders-empty-junk-confirm');
  await emptyJunk.getByRole('button', { name: 'Empty Junk' }).click();
  await emptyJunk.waitFor({ state: 'detached' });
  await folder(page, 'Junk').waitFor();
  await page.getByTestId('message-row').first().waitFor({ state: 'detached' });
  assert.deepEqual(await status('Junk'), [0, 0]);
});

scenario('unread counts follow IMAP and LMTP live, for every folder, without a reload', 240_000, async () => {
  await imap.mailboxCreate('Updates/Live');
  await folder(page, 'Inbox').click();
  await nav(page)
    .getByRole('list', { name: 'Subfolders of Updates' })
    .getByRole('button', { name: /^Live/ })
    .waitFor();

  const inboxUnseen = (await status('INBOX'))[1];
  await deliver('Fresh news');
  await folder(page, `Inbox, ${inboxUnseen + 1} unread`).waitFor();

  // another client files it into a subfolder: the counts of both follow
  await imapMove('Fresh news', 'Updates/Live');
  await folder(page, 'Live, 1 unread').waitFor();
  await folder(page, inboxUnseen ? `Inbox, ${inboxUnseen} unread` : 'Inbox').waitFor();

  // another client reads it there (the open folder is the Inbox, not this one)
  const lock = await imap.getMailboxLock('Updates/Live');
  try {
    await imap.messageFlagsAdd('1:*', ['\\Seen']);
  } finally {
    lock.release();
  }
  await folder(page, 'Live').waitFor();
  assert.equal(await folder(page, 'Live').getAttribute('aria-current'), null);

  // and one read in the open folder
  await deliver('Read elsewhere');
  await folder(page, `Inbox, ${inboxUnseen + 1} unread`).waitFor();
  const inbox = await imap.getMailboxLock('INBOX');
  try {
    await imap.noop();
    const uids = await imap.search({ subject: 'Read elsewhere' }, { uid: true });
    await imap.messageFlagsAdd(uids || [], ['\\Seen'], { uid: true });
  } finally {
    inbox.release();
  }
  await folder(page, inboxUnseen ? `Inbox, ${inboxUnseen} unread` : 'Inbox').waitFor();
});
