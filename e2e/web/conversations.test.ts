/**
 * Conversations in the webmail, in a real browser against the real stack: a conversation
 * delivered by LMTP (References, In-Reply-To, and a reply linked only by its subject) shows as one
 * row with its count; opening it shows the older messages collapsed and the newest open; a click
 * or Enter opens another; the Conversations / Messages switch changes the list and is remembered
 * in localStorage; a reply arriving while the page is open joins the conversation live. Both
 * screens are audited for accessibility, and the phone width is checked.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import { auditAccessibility } from './axe.js';
import { BrowserScenarios, screenshot, signIn } from './browser.js';
import { startWebStack, type WebStack } from './stack.js';

const USER = 'talk@conversations.test';
const PASSWORD = 'talk-password-1';
const LIST_MODE_KEY = 'wildduck.mail.listMode';

let stack: WebStack;
const browser = new BrowserScenarios('failed-conversations-', () => stack?.output() ?? '');
const { scenario } = browser;
let page: Page;

before(
  async () => {
    stack = await startWebStack('conversations');
    await stack.createUser(USER, PASSWORD);
    await browser.launch();
  },
  { timeout: 600_000 },
);

after(async () => {
  await browser.close();
  await stack?.stop();
});

/** Delivers one message by LMTP with the threading headers given. */
async function deliver(message: {
  from: string;
  subject: string;
  text: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  attachment?: boolean;
}): Promise<void> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: stack.mail.lmtpPort,
    lmtp: true,
    secure: false,
    ignoreTLS: true,
  });
  try {
    const info = await transport.sendMail({
      from: message.from,
      to: USER,
      subject: message.subject,
      text: message.text,
      ...(message.messageId ? { messageId: message.messageId } : {}),
      ...(message.inReplyTo ? { inReplyTo: message.inReplyTo } : {}),
      ...(message.references ? { references: message.references } : {}),
      ...(message.attachment
        ? { attachments: [{ filename: 'menu.txt', content: 'Soup\nBread\n', contentType: 'text/plain' }] }
        : {}),
    });
    assert.equal(info.rejected.length, 0, info.response);
  } finally {
    transport.close();
  }
}

const threadRow = (subject: string) => page.getByTestId('thread-row').filter({ hasText: subject });
const modeButton = (name: 'Conversations' | 'Messages') =>
  page.getByRole('group', { name: 'Show the list as' }).getByRole('button', { name });

scenario('a conversation delivered by LMTP is one row in conversation mode', 120_000, async () => {
  await deliver({
    from: 'Olga Organiser <olga@example.org>',
    subject: 'Team lunch on Friday',
    text: 'Shall we try the soup place?',
    messageId: '<lunch-1@example.org>',
  });
  await deliver({
    from: 'Other Sender <other@example.org>',
    subject: 'Printer is fixed',
    text: 'The printer on floor 2 works again.',
    messageId: '<printer@example.org>',
  });
  await deliver({
    from: 'Piet Pals <piet@example.org>',
    subject: 'Re: Team lunch on Friday',
    text: 'Yes please, soup sounds good.',
    messageId: '<lunch-2@example.org>',
    inReplyTo: '<lunch-1@example.org>',
    references: ['<lunch-1@example.org>'],
  });
  // no links at all: joins by its subject
  await deliver({
    from: 'Quinn Quiet <quinn@example.org>',
    subject: 'RE: Team lunch on Friday',
    text: 'Count me in, I will bring bread.',
    attachment: true,
  });

  page = await browser.newPage({ width: 1366, height: 900 });
  await signIn(page, stack.webUrl, USER, PASSWORD, '/mail');
  await page.getByTestId('message-row').first().waitFor();
  // single messages by default
  assert.equal(await page.getByTestId('message-row').count(), 4);
  assert.equal(await modeButton('Messages').getAttribute('aria-pressed'), 'true');

  await modeButton('Conversations').click();
  await threadRow('Team lunch on Friday').waitFor();
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), LIST_MODE_KEY), 'conversations');
  assert.equal(await page.getByTestId('thread-row').count(), 2);
  assert.equal(await page.getByTestId('message-row').count(), 0);
  const lunch = threadRow('Team lunch on Friday');
  assert.equal(await lunch.getAttribute('data-count'), '3');
  assert.equal(await lunch.getAttribute('data-unread'), 'true');
  assert.match(await lunch.getByTestId('thread-count').innerText(), /^3\s+messages/);
  assert.equal(await lunch.getByTestId('thread-participants').innerText(), 'Olga, Piet, Quinn');
  await lunch.getByTestId('attachment-mark').waitFor();
  assert.match(await lunch.innerText(), /I will bring bread/);
  // newest activity first
  assert.match(await page.getByTestId('thread-row').first().innerText(), /Team lunch/);
  assert.match(await page.getByTestId('list-count').innerText(), /^2 conversations$/);
  await screenshot(page, '40-conversation-list');
  await auditAccessibility(page, 'conversation list');
});

scenario(
  'opening a conversation shows the older messages collapsed and the newest open',
  90_000,
  async () => {
    await threadRow('Team lunch on Friday').click();
    // loaded: the pane carries the count of its messages
    const pane = page.locator('[data-testid=conversation-pane][data-count]');
    await pane.waitFor();
    assert.equal(await pane.getAttribute('data-count'), '3');
    const collapsed = pane.getByTestId('collapsed-message');
    assert.equal(await collapsed.count(), 2);
    assert.match(await collapsed.nth(0).innerText(), /Olga Organiser[\s\S]*soup place/);
    assert.match(await collapsed.nth(1).innerText(), /Piet Pals[\s\S]*soup sounds good/);
    // the newest is open, whole
    await pane.getByTestId('message-text').filter({ hasText: 'I will bring bread' }).waitFor();
    // opening marks the conversation read
    await page
      .locator('[data-testid=thread-row][data-unread=false]')
      .filter({ hasText: 'Team lunch' })
      .waitFor();
    await screenshot(page, '41-conversation-open');
    await auditAccessibility(page, 'conversation open');

    // a click opens a collapsed one (the newest collapses)
    await collapsed.nth(0).click();
    await pane.getByTestId('message-text').filter({ hasText: 'Shall we try the soup place?' }).waitFor();
    assert.equal(await pane.getByTestId('collapsed-message').count(), 2);
    assert.match(await pane.getByTestId('collapsed-message').nth(1).innerText(), /Quinn Quiet/);
    // and Enter from the keyboard
    await pane.getByTestId('collapsed-message').filter({ hasText: 'Piet Pals' }).focus();
    await page.keyboard.press('Enter');
    await pane.getByTestId('message-text').filter({ hasText: 'soup sounds good' }).waitFor();
    await screenshot(page, '42-conversation-older-open');
  },
);

scenario('a reply arriving while the page is open joins its conversation live', 60_000, async () => {
  await page.evaluate(() => {
    (window as unknown as { sameDocument: boolean }).sameDocument = true;
  });
  await deliver({
    from: 'Rosa Reply <rosa@example.org>',
    subject: 'Re: Team lunch on Friday',
    text: 'Late to the party: I am in too.',
    messageId: '<lunch-4@example.org>',
    inReplyTo: '<lunch-2@example.org>',
    references: ['<lunch-1@example.org>', '<lunch-2@example.org>'],
  });
  const lunch = threadRow('Team lunch on Friday');
  await page.locator('[data-testid=thread-row][data-count="4"]').waitFor({ timeout: 5_000 });
  assert.equal(await lunch.getAttribute('data-unread'), 'true');
  assert.equal(await page.getByTestId('thread-row').count(), 2);
  // the open conversation shows it too
  await page.locator('[data-testid=conversation-pane][data-count="4"]').waitFor({ timeout: 5_000 });
  assert.equal(
    await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument),
    true,
    'the page was reloaded',
  );
  await screenshot(page, '43-conversation-live-reply');
});

scenario('the switch is remembered, and the phone width shows one column at a time', 90_000, async () => {
  await modeButton('Messages').click();
  await page.getByTestId('message-row').first().waitFor();
  assert.equal(await page.getByTestId('message-row').count(), 5);
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), LIST_MODE_KEY), 'messages');
  await page.reload();
  await page.getByTestId('message-row').first().waitFor();
  assert.equal(await page.getByTestId('thread-row').count(), 0);

  // a test (or the user) choosing conversations in storage gets them on the next load
  const phone = await browser.newPage({ width: 390, height: 844 });
  await signIn(phone, stack.webUrl, USER, PASSWORD, '/mail');
  await phone.evaluate((key) => localStorage.setItem(key, 'conversations'), LIST_MODE_KEY);
  await phone.reload();
  const row = phone.getByTestId('thread-row').filter({ hasText: 'Team lunch on Friday' });
  await row.waitFor();
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide at 390 px`);
  await row.click();
  const pane = phone.locator('[data-testid=conversation-pane][data-count]');
  // a new page signs in and reads the conversation cold: give a loaded CI machine time
  await pane.waitFor({ timeout: 45_000 });
  await pane.getByTestId('message-text').filter({ hasText: 'I am in too' }).waitFor();
  // the list gives way to the conversation at phone width
  assert.equal(await phone.getByTestId('thread-list').isVisible(), false);
  await screenshot(phone, '44-conversation-phone');
  await pane.getByRole('button', { name: 'Back to the conversations' }).click();
  await row.waitFor();
  assert.equal(await pane.isVisible(), false);
});
