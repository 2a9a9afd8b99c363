/**
 * Shared folders in the webmail, in two browsers against the real mail server, API and web app:
 * the owner shares a folder through its Actions menu's Share dialog, the other user finds it under
 * "Shared with me", opens it and reads a message (their own read mark: the owner's unread count
 * stays, in the owner's sidebar and over IMAP), and mail that arrives in the folder shows in the
 * member's open list without a reload, and in the folder's unread count while another folder is
 * open (the member's live feed carries the shared folder's changes: no polling). A member with
 * read and write moves a message out of the folder into their Inbox and files it back.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ImapFlow } from 'imapflow';
import type { Locator, Page } from 'playwright-core';
import { auditAccessibility } from './axe.js';
import { BrowserScenarios, signIn } from './browser.js';
import { startWebStack, type WebStack } from './stack.js';

const ADMIN = 'ada@sharing.test';
const OWNER = 'olive@sharing.test';
const MEMBER = 'max@sharing.test';
const PASSWORD = 'sharing-password-1';
const FOLDER = 'Team';

let stack: WebStack;
const browser = new BrowserScenarios('failed-sharing-', () => stack?.output() ?? '');
const { scenario } = browser;
let imap: ImapFlow;
let ownerId: string;

before(
  async () => {
    stack = await startWebStack('sharing');
    ownerId = await stack.createUser(OWNER, PASSWORD);
    await stack.createUser(ADMIN, PASSWORD, 'admin');
    await stack.createUser(MEMBER, PASSWORD);
    await browser.launch();
    imap = new ImapFlow({
      host: stack.mail.host,
      port: stack.mail.imapPort,
      secure: false,
      auth: { user: OWNER, pass: PASSWORD },
      logger: false,
      tls: { rejectUnauthorized: false },
    });
    await imap.connect();
    await imap.mailboxCreate(FOLDER);
    await append('Quarterly plan');
    await append('Offsite agenda');
  },
  { timeout: 600_000 },
);

after(async () => {
  await imap?.logout().catch(() => undefined);
  await browser.close();
  await stack?.stop();
});

/** The owner stores an unread message in the folder over IMAP (announced as any delivery is). */
async function append(subject: string): Promise<void> {
  const message = [
    `From: Pat <pat@outside.test>`,
    `To: ${OWNER}`,
    `Subject: ${subject}`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `About ${subject}.`,
    '',
  ].join('\r\n');
  await imap.append(FOLDER, message, []);
}

async function unseenOverImap(): Promise<number> {
  const answer = await imap.status(FOLDER, { unseen: true });
  if (!answer) throw new Error(`no STATUS for ${FOLDER}`);
  return answer.unseen ?? -1;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The owner's own folder button: "Team" or "Team, 2 unread". */
function ownFolder(page: Page, unread?: number): Locator {
  const name = unread ? `^${FOLDER}, ${unread} unread$` : `^${FOLDER}(, \\d+ unread)?$`;
  return page.getByRole('navigation', { name: 'Folders' }).getByRole('button', { name: new RegExp(name) });
}

/** The member's button of the shared folder: "Team (olive@…)" or "Team (olive@…), 1 unread". */
function sharedFolder(page: Page, unread?: number): Locator {
  const base = `${escape(FOLDER)} \\(${escape(OWNER)}\\)`;
  const name =
    unread === undefined ? `^${base}(, \\d+ unread)?$` : unread ? `^${base}, ${unread} unread$` : `^${base}$`;
  return page
    .getByRole('navigation', { name: 'Shared with me' })
    .getByRole('button', { name: new RegExp(name) });
}

/** The user's own Inbox in the sidebar. */
const ownInbox = (page: Page) =>
  page.getByRole('navigation', { name: 'Folders' }).getByRole('button', { name: /^Inbox/ });

async function messagesOverImap(): Promise<number> {
  const answer = await imap.status(FOLDER, { messages: true });
  if (!answer) throw new Error(`no STATUS for ${FOLDER}`);
  return answer.messages ?? -1;
}

const row = (page: Page, subject: string) => page.getByTestId('message-row').filter({ hasText: subject });

scenario(
  'a folder shared through the dialog is read by the other user with their own read marks',
  240_000,
  async () => {
    const owner = await browser.newPage({ width: 1280, height: 900 });
    await signIn(owner, stack.webUrl, OWNER, PASSWORD, '/mail');
    await ownFolder(owner, 2).waitFor();

    // the owner shares Team from its Actions menu, with the keyboard-reachable dialog
    await owner
      .getByRole('navigation', { name: 'Folders' })
      .getByRole('button', { name: `Actions for ${FOLDER}` })
      .click();
    await owner
      .getByRole('menu', { name: `Actions for ${FOLDER}` })
      .getByRole('menuitem', { name: 'Share…' })
      .click();
    const dialog = owner.getByRole('dialog', { name: `Share ${FOLDER}` });
    await dialog.getByText('Nobody yet').waitFor();
    await dialog.getByLabel('Person').fill(MEMBER);
    await dialog.getByLabel('Access', { exact: true }).selectOption('READ');
    await dialog.getByRole('button', { name: 'Share', exact: true }).click();
    const access = dialog.getByLabel(`Access of ${MEMBER}`);
    await access.waitFor();
    assert.equal(await access.inputValue(), 'READ');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });

    // the member finds it under Shared with me, with both messages unread
    const member = await browser.newPage({ width: 1280, height: 900 });
    await signIn(member, stack.webUrl, MEMBER, PASSWORD, '/mail');
    await sharedFolder(member, 2).waitFor();
    await auditAccessibility(member, 'webmail: shared with me');
    await sharedFolder(member, 2).click();
    await row(member, 'Quarterly plan').waitFor();
    await row(member, 'Offsite agenda').waitFor();
    assert.equal(await row(member, 'Quarterly plan').getAttribute('data-unread'), 'true');
    // a read-only member is not offered what their rights do not allow
    await row(member, 'Quarterly plan').click();
    const pane = member.getByTestId('reading-pane');
    await pane.getByRole('heading', { name: 'Quarterly plan' }).waitFor();
    const toolbar = pane.getByRole('toolbar', { name: 'Message actions' });
    await toolbar.getByRole('button', { name: /^Mark as unread/ }).waitFor();
    assert.equal(await toolbar.getByRole('button', { name: /^Delete/ }).count(), 0);
    assert.equal(await toolbar.getByRole('button', { name: /^Archive/ }).count(), 0);

    // opening it marked it read for the member only
    await member
      .getByTestId('message-row')
      .filter({ hasText: 'Quarterly plan' })
      .and(member.locator('[data-unread="false"]'))
      .waitFor();
    await sharedFolder(member, 1).waitFor();
    assert.equal(await unseenOverImap(), 2);
    await owner.reload();
    await ownFolder(owner, 2).waitFor();
    await ownFolder(owner, 2).click();
    await row(owner, 'Quarterly plan').waitFor();
    assert.equal(await row(owner, 'Quarterly plan').getAttribute('data-unread'), 'true');

    // mail arriving in the folder shows in the member's open list without a reload
    await append('Live update');
    await row(member, 'Live update').waitFor({ timeout: 20_000 });
    assert.equal(await row(member, 'Live update').getAttribute('data-unread'), 'true');
    await sharedFolder(member, 2).waitFor();

    // with another folder open, the shared folder's count follows its mail too (the page does not
    // poll: this comes on the member's own live feed)
    await ownInbox(member).click();
    await member.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    await append('While away');
    await sharedFolder(member, 3).waitFor({ timeout: 20_000 });
  },
);

scenario(
  "an administrator changes who a user's folder is shared with on the user's page",
  120_000,
  async () => {
    const admin = await browser.newPage({ width: 1280, height: 900 });
    await signIn(admin, stack.webUrl, ADMIN, PASSWORD, `/admin/users/${ownerId}`);
    const section = admin.getByRole('region', { name: 'Shared folders' });
    const access = section.getByLabel(`Access of ${MEMBER} to ${FOLDER}`);
    await access.waitFor();
    assert.equal(await access.inputValue(), 'READ');
    await auditAccessibility(admin, 'admin: user page with shared folders');
    await access.selectOption('READ_WRITE');
    await admin.getByText(`${MEMBER} now has Read and write access to ${FOLDER}.`).waitFor();
    await admin.reload();
    await section.getByLabel(`Access of ${MEMBER} to ${FOLDER}`).waitFor();
    assert.equal(await section.getByLabel(`Access of ${MEMBER} to ${FOLDER}`).inputValue(), 'READ_WRITE');
    // the member is offered what the new rights allow
    const member = await browser.newPage({ width: 1280, height: 900 });
    await signIn(member, stack.webUrl, MEMBER, PASSWORD, '/mail');
    await sharedFolder(member).click();
    await row(member, 'Offsite agenda').click();
    const toolbar = member.getByTestId('reading-pane').getByRole('toolbar', { name: 'Message actions' });
    await toolbar.getByRole('button', { name: /^Delete/ }).waitFor();
    await toolbar.getByRole('button', { name: /^Star/ }).waitFor();

    // with t and e the member may move a message out, into their own Inbox (stored again for them)
    const inFolder = await messagesOverImap();
    await toolbar.getByRole('button', { name: 'Move to folder' }).click();
    await member
      .getByRole('menu', { name: 'Move to folder' })
      .getByRole('menuitem', { name: 'Inbox', exact: true })
      .click();
    await member.getByText('Moved to Inbox.').waitFor();
    await row(member, 'Offsite agenda').waitFor({ state: 'detached' });
    assert.equal(await messagesOverImap(), inFolder - 1);
    await ownInbox(member).click();
    await row(member, 'Offsite agenda').click();
    // and, with i, file it back: the move menu lists the shared folder by its owner
    const inboxToolbar = member.getByTestId('reading-pane').getByRole('toolbar', { name: 'Message actions' });
    await inboxToolbar.getByRole('button', { name: 'Move to folder' }).click();
    await member
      .getByRole('menu', { name: 'Move to folder' })
      .getByRole('menuitem', { name: `${FOLDER} (${OWNER})`, exact: true })
      .click();
    // the row leaves at once; the notice comes once the server has moved it
    await member.getByText(`Moved to ${FOLDER}.`).waitFor();
    await row(member, 'Offsite agenda').waitFor({ state: 'detached' });
    assert.equal(await messagesOverImap(), inFolder);

    await section.getByRole('button', { name: `Remove ${MEMBER} from ${FOLDER}` }).click();
    await admin.getByText(`${FOLDER} is no longer shared with ${MEMBER}.`).waitFor();
    await section.getByText("None of this user's folders is shared.").waitFor();
  },
);
