/**
 * The web console in a real browser (Debian's Chromium, headless) against real processes: a mail
 * server, the API and the production build of the web app on the store `npm test` started. An
 * administrator creates a user; the user reads, answers, reports and searches mail that arrives by
 * LMTP while the page is open; the administrator watches the user's storage grow. Every run saves
 * screenshots of the main screens in e2e/artifacts/web/.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { BrowserScenarios, screenshot, signIn } from './browser.js';
import { deliverByLmtp } from './deliver.js';
import { startWebStack, type WebStack } from './stack.js';

const ADMIN = 'admin@console.test';
const ADMIN_PASSWORD = 'admin-password-1';
const USER = 'reader@console.test';
const USER_PASSWORD = 'reader-password-1';

let stack: WebStack;
const browser = new BrowserScenarios('failed-', () => stack?.output() ?? '');
const { scenario } = browser;
let admin: Page;
let reader: Page;
let userId = '';

before(
  async () => {
    stack = await startWebStack('console');
    await stack.createUser(ADMIN, ADMIN_PASSWORD, 'admin');
    await browser.launch();
  },
  { timeout: 600_000 },
);

after(async () => {
  await browser.close();
  await stack?.stop();
});

const newPage = (viewport = { width: 1366, height: 900 }) => browser.newPage(viewport);

/** A folder button in the folder list, by the start of its label ("Inbox", "Sent", "Junk"). */
function folder(page: Page, label: string) {
  return page
    .getByRole('navigation', { name: 'Folders' })
    .getByRole('button', { name: new RegExp(`^${label}`) });
}

function row(page: Page, subject: string) {
  return page.getByTestId('message-row').filter({ hasText: subject });
}

async function waitUntil<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

scenario('the admin signs in and creates a user in the console', 120_000, async () => {
  admin = await newPage();
  await admin.goto(`${stack.webUrl}/signin?callbackUrl=%2Fadmin`);
  await screenshot(admin, '01-sign-in');
  await signIn(admin, stack.webUrl, ADMIN, ADMIN_PASSWORD, '/admin');
  await admin.getByTestId('users-table').waitFor();

  await admin.getByRole('button', { name: 'New user' }).click();
  const form = admin.getByTestId('user-form');
  await form.getByLabel('Email address').fill(USER);
  await form.getByLabel('Name').fill('Rita Reader');
  await form.getByLabel('Password', { exact: true }).fill(USER_PASSWORD);
  await form.getByLabel('Quota in MB').fill('50');
  await form.getByRole('button', { name: 'Create user' }).click();
  const created = admin.locator(`[data-testid=user-row][data-address="${USER}"]`);
  await created.waitFor();
  assert.match(await created.getByTestId('storage-used').innerText(), /^0 bytes of 50\.0 MB/);
  await screenshot(admin, '02-admin-console');

  const user = await stack.mail.db.collection('users').findOne({ address: USER });
  assert.ok(user, 'the user is in the store');
  assert.equal(user.role, 'user');
  assert.equal(user.quota, 50 * 1024 * 1024);
  userId = user._id.toHexString();
});

scenario('the user signs in and sees INBOX', 60_000, async () => {
  reader = await newPage();
  await signIn(reader, stack.webUrl, USER, USER_PASSWORD, '/mail');
  await assert.doesNotReject(folder(reader, 'Inbox').waitFor());
  assert.equal(await folder(reader, 'Inbox').getAttribute('aria-current'), 'page');
  await reader.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
  await reader.getByTestId('empty-list').waitFor();
  for (const name of ['Drafts', 'Sent', 'Junk', 'Trash', 'Archive']) await folder(reader, name).waitFor();
  await reader.locator('[data-testid=live-status][data-status=live]').waitFor();
  // no secret in the browser: the session cookie is HTTP-only, the session the page sees has no token
  const seen = await reader.evaluate(async () => ({
    cookies: document.cookie,
    session: (await (await fetch('/api/auth/session')).json()) as Record<string, unknown>,
  }));
  assert.doesNotMatch(seen.cookies, /session-token/);
  assert.deepEqual(Object.keys(seen.session).sort(), ['expires', 'user']);
  assert.deepEqual(seen.session.user, { address: USER, role: 'user' });
  await screenshot(reader, '03-mail-empty-inbox');
});

test(
  'a message delivered by LMTP appears without a reload within two seconds',
  { timeout: 60_000 },
  async () => {
    await reader.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });
    await deliverByLmtp(stack.mail.lmtpPort, {
      from: `The Admin <${ADMIN}>`,
      to: USER,
      subject: 'Quarterly figures',
      text: 'The figures are in. Spread some marmalade.',
      html:
        '<p>The figures are in. Spread some <b>marmalade</b>.</p>' +
        '<script>parent.document.title = "pwned"; document.body.innerHTML = "pwned";</script>' +
        '<img src="x" onerror="parent.document.title = \'pwned\'">',
      attachments: [{ filename: 'figures.csv', content: 'quarter,total\nQ1,42\n', contentType: 'text/csv' }],
    });
    const delivered = Date.now();
    await row(reader, 'Quarterly figures').waitFor({ timeout: 2_000 });
    const elapsed = Date.now() - delivered;
    assert.ok(elapsed <= 2_000, `the message appeared after ${elapsed} ms`);
    assert.equal(
      await reader.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument),
      true,
      'the page was reloaded',
    );
    assert.equal(await row(reader, 'Quarterly figures').getAttribute('data-unread'), 'true');
    await reader.getByRole('button', { name: 'Inbox, 1 unread' }).waitFor();
    await screenshot(reader, '04-mail-new-message');
  },
);

scenario('opening it shows the HTML with the script in it neutralised', 60_000, async () => {
  await row(reader, 'Quarterly figures').click();
  const frameElement = reader.getByTestId('message-frame');
  await frameElement.waitFor();
  const sandbox = (await frameElement.getAttribute('sandbox')) ?? '';
  assert.doesNotMatch(sandbox, /allow-scripts/);
  const body = reader.frameLocator('[data-testid=message-frame]').locator('body');
  await body.locator('b', { hasText: 'marmalade' }).waitFor();
  const html = await body.innerHTML();
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /onerror/i);
  assert.doesNotMatch(await body.innerText(), /pwned/);
  assert.notEqual(await reader.title(), 'pwned');
  const attachment = reader.getByTestId('attachment-link').filter({ hasText: 'figures.csv' });
  await attachment.waitFor();
  // the download goes through the web server, which adds the token the browser never sees
  const download = await reader.request.get(`${stack.webUrl}${await attachment.getAttribute('href')}`);
  assert.equal(download.status(), 200);
  assert.equal(await download.text(), 'quarter,total\nQ1,42\n');
  // opening marks it read, and the unread count follows
  await reader.getByRole('button', { name: 'Inbox', exact: true }).waitFor();
  await screenshot(reader, '05-mail-reading-pane');
});

test(
  'a reply appears in Sent, and its draft is saved while typing and removed on sending',
  { timeout: 60_000 },
  async () => {
    await reader.keyboard.press('r');
    const compose = reader.getByTestId('compose');
    await compose.waitFor();
    assert.match(await compose.getByLabel('To').inputValue(), new RegExp(ADMIN));
    assert.equal(await compose.getByLabel('Subject').inputValue(), 'Re: Quarterly figures');
    await reader.keyboard.type('Thanks, the figures look right.');
    await compose.getByTestId('draft-status').filter({ hasText: 'Draft saved' }).waitFor({ timeout: 10_000 });
    await screenshot(reader, '06-mail-compose-reply');
    await compose.getByRole('button', { name: 'Send' }).click();
    await reader.getByTestId('notice').filter({ hasText: 'Message sent.' }).waitFor();

    await folder(reader, 'Sent').click();
    await row(reader, 'Re: Quarterly figures').waitFor();
    await screenshot(reader, '07-mail-sent');
    await folder(reader, 'Drafts').click();
    await reader.getByTestId('empty-list').waitFor();
  },
);

scenario('a move to Junk raises the SPAM event', 60_000, async () => {
  await folder(reader, 'Inbox').click();
  await row(reader, 'Quarterly figures').click();
  await reader.getByTestId('reading-pane').waitFor();
  await reader.keyboard.press('!');
  await reader.getByTestId('notice').filter({ hasText: 'moved to Junk' }).waitFor();
  const event = await waitUntil(
    'the SPAM webhook',
    () => stack.webhooks.find((delivery) => delivery.body.type === 'SPAM')?.body,
    10_000,
  );
  assert.equal(String(event.user), userId);
  await folder(reader, 'Junk').click();
  await row(reader, 'Quarterly figures').waitFor();
});

scenario('search finds a message by a word of its body', 60_000, async () => {
  await folder(reader, 'Inbox').click();
  await deliverByLmtp(stack.mail.lmtpPort, {
    from: 'Pat <pat@elsewhere.test>',
    to: USER,
    subject: 'Weekend plans',
    text: 'Let us meet at the lake and bring the xylophone.',
  });
  await deliverByLmtp(stack.mail.lmtpPort, {
    from: 'Sam <sam@elsewhere.test>',
    to: USER,
    subject: 'Lunch',
    text: 'Noodles at noon?',
  });
  await row(reader, 'Lunch').waitFor();
  await reader.keyboard.press('/');
  await reader.keyboard.type('xylophone');
  await reader.keyboard.press('Enter');
  await reader.getByText('Results for “xylophone”').waitFor();
  await reader
    .getByTestId('list-count')
    .filter({ hasText: /^1 message$/ })
    .waitFor();
  await row(reader, 'Weekend plans').waitFor();
  assert.equal(await row(reader, 'Lunch').count(), 0);
  await screenshot(reader, '08-mail-search');
});

scenario(
  'a new message with an attachment is sent, and lands in Sent with its attachment mark',
  60_000,
  async () => {
    await folder(reader, 'Inbox').click();
    await reader.keyboard.press('c');
    const compose = reader.getByTestId('compose');
    await compose.waitFor();
    await compose.getByLabel('To').fill(ADMIN);
    await compose.getByLabel('Subject').fill('The plan');
    await compose.getByLabel('Message').fill('The plan is attached.');
    await compose.getByTestId('compose-file-input').setInputFiles({
      name: 'plan 100%.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('step one\nstep two\n'),
    });
    await compose
      .getByRole('listitem')
      .filter({ hasText: 'plan 100%.txt' })
      .filter({ hasText: 'bytes' })
      .waitFor();
    await compose.getByRole('button', { name: 'Send' }).click();
    await reader.getByTestId('notice').filter({ hasText: 'Message sent.' }).waitFor();
    await folder(reader, 'Sent').click();
    await row(reader, 'The plan').getByTestId('attachment-mark').waitFor();
    await row(reader, 'The plan').click();
    await reader.getByTestId('attachment-link').filter({ hasText: 'plan 100%.txt' }).waitFor();
  },
);

scenario(
  'a message dragged onto a folder moves there; j, o and Shift+U work from the keyboard',
  60_000,
  async () => {
    await folder(reader, 'Inbox').click();
    await row(reader, 'Lunch').dragTo(folder(reader, 'Archive'));
    await reader.getByTestId('notice').filter({ hasText: 'Moved to Archive.' }).waitFor();
    assert.equal(await row(reader, 'Lunch').count(), 0);

    await reader.getByTestId('message-list').focus();
    await reader.keyboard.press('j');
    await reader.keyboard.press('o');
    await reader.getByRole('heading', { name: 'Weekend plans' }).waitFor();
    await reader.getByRole('button', { name: 'Inbox', exact: true }).waitFor();
    await reader.keyboard.press('Shift+U');
    await reader.getByRole('button', { name: 'Inbox, 1 unread' }).waitFor();
    assert.equal(await row(reader, 'Weekend plans').getAttribute('data-unread'), 'true');

    await folder(reader, 'Archive').click();
    await row(reader, 'Lunch').waitFor();
  },
);

scenario("the admin sees the user's storage change", 60_000, async () => {
  const storage = admin.locator(`[data-testid=user-row][data-address="${USER}"] [data-testid=storage-used]`);
  // the console reads its figures again when the live feed reports deliveries, without a reload or polling
  await admin.waitForFunction(
    (address) =>
      !document
        .querySelector(`[data-testid=user-row][data-address="${address}"] [data-testid=storage-used]`)
        ?.textContent?.startsWith('0 bytes'),
    USER,
    { timeout: 20_000 },
  );
  const user = await stack.mail.db.collection('users').findOne({ address: USER });
  assert.ok(Number(user?.storageUsed) > 0);
  assert.match(await storage.innerText(), / of 50\.0 MB/);
  await admin.getByTestId('admin-feed').waitFor();
  await screenshot(admin, '09-admin-storage-changed');
});

scenario('at phone width the webmail shows the list, then the message', 60_000, async () => {
  const phone = await newPage({ width: 390, height: 844 });
  await signIn(phone, stack.webUrl, USER, USER_PASSWORD, '/mail');
  await row(phone, 'Weekend plans').waitFor();
  assert.equal(await folder(phone, 'Inbox').isVisible(), false, 'folders are in a drawer');
  await screenshot(phone, '10-phone-list');
  await phone.getByRole('button', { name: 'Show folders' }).click();
  await folder(phone, 'Inbox').waitFor();
  await screenshot(phone, '11-phone-folders');
  await folder(phone, 'Inbox').click();
  await row(phone, 'Weekend plans').click();
  await phone.getByRole('heading', { name: 'Weekend plans' }).waitFor();
  assert.equal(
    await phone.getByTestId('message-list').isVisible(),
    false,
    'the list gives way to the message',
  );
  await screenshot(phone, '12-phone-message');
});

scenario('signing out ends the session: /mail asks to sign in again', 60_000, async () => {
  await reader.getByRole('button', { name: 'Sign out' }).click();
  await reader.waitForURL((url) => url.pathname === '/');
  await reader.goto(`${stack.webUrl}/mail`);
  await reader.waitForURL((url) => url.pathname === '/signin');
});
