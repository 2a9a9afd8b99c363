/**
 * The admin console's live feed, charts and user detail in a real browser against real processes
 * (a mail server, the API and the web app's production build): a delivery and IMAP sign-ins show
 * in the feed as they happen, with no polling; the charts switch between hour, day and month; the
 * user detail page shows mailboxes, sessions, app passwords and activity, and disables, sets the
 * quota and resets two-factor. Screenshots 60-66 in e2e/artifacts/web/.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ImapFlow } from 'imapflow';
import * as OTPAuth from 'otpauth';
import type { Page } from 'playwright-core';
import { auditAccessibility } from './axe.js';
import { BrowserScenarios, screenshot, signIn } from './browser.js';
import { deliverByLmtp } from './deliver.js';
import { startWebStack, type WebStack } from './stack.js';

const ADMIN = 'admin@feed.test';
const ADMIN_PASSWORD = 'admin-password-1';
const USER = 'walter@feed.test';
const USER_PASSWORD = 'walter-password-1';

let stack: WebStack;
const browser = new BrowserScenarios('failed-admin-', () => stack?.output() ?? '');
const { scenario } = browser;
let admin: Page;
let userId = '';

before(
  async () => {
    stack = await startWebStack('adminfeed');
    await stack.createUser(ADMIN, ADMIN_PASSWORD, 'admin');
    userId = await stack.createUser(USER, USER_PASSWORD);
    await browser.launch();
  },
  { timeout: 600_000 },
);

after(async () => {
  await browser.close();
  await stack?.stop();
});

/** A GraphQL call to the API as `token` (the user's own actions: app passwords, two-factor). */
async function api<T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const response = await fetch(`${stack.apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const reply = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (!reply.data) throw new Error(JSON.stringify(reply.errors));
  return reply.data;
}

async function imapSignIn(password: string): Promise<boolean> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: stack.mail.imapsPort,
    secure: true,
    tls: { rejectUnauthorized: false },
    auth: { user: USER, pass: password },
    logger: false,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.logout();
    return true;
  } catch {
    return false;
  }
}

function feedItem(page: Page, type: string, text: string) {
  return page
    .locator(`[data-testid=admin-feed] [data-testid=admin-event][data-type=${type}]`)
    .filter({ hasText: text });
}

scenario('the console shows deliveries and sign-ins live, without polling', 180_000, async () => {
  admin = await browser.newPage({ width: 1366, height: 900 });
  await signIn(admin, stack.webUrl, ADMIN, ADMIN_PASSWORD, '/admin');
  await admin.getByTestId('users-table').waitFor();
  await admin.getByTestId('admin-live').filter({ hasText: 'Live' }).waitFor();

  // idle: the figures, charts and users are not read again (the console used to poll every 4 seconds;
  // only the webhook outbox panel still refreshes itself)
  const graphqlRequests: string[] = [];
  admin.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/graphql') graphqlRequests.push(request.postData() ?? '');
  });
  const figureReads = (operation: string) =>
    graphqlRequests.filter(
      (body) => body.includes(`query ${operation}(`) || body.includes(`query ${operation} `),
    ).length;
  await admin.waitForTimeout(9_000);
  for (const operation of ['Stats', 'Users', 'StatsHistory'])
    assert.equal(figureReads(operation), 0, `${operation} is not polled while idle`);

  await deliverByLmtp(stack.mail.lmtpPort, {
    from: 'news@outside.test',
    to: USER,
    subject: 'Quarterly figures',
    text: 'The figures are in.',
  });
  await feedItem(admin, 'DELIVERY', USER).filter({ hasText: 'Quarterly figures' }).waitFor();
  assert.match(
    await feedItem(admin, 'DELIVERY', USER).first().innerText(),
    /Delivered to walter@feed\.test from news@outside\.test \(LMTP\)/,
  );

  assert.equal(await imapSignIn(USER_PASSWORD), true);
  await feedItem(admin, 'SIGN_IN', USER).filter({ hasText: 'IMAP' }).waitFor();
  assert.equal(await imapSignIn('not the password'), false);
  await feedItem(admin, 'SIGN_IN_FAILED', USER).waitFor();

  // the delivery read the figures and the table again, once, a moment after it arrived
  await admin.waitForFunction(
    (address) =>
      !document
        .querySelector(`[data-testid=user-row][data-address="${address}"] [data-testid=storage-used]`)
        ?.textContent?.startsWith('0 bytes'),
    USER,
    { timeout: 10_000 },
  );
  const statsReads = figureReads('Stats');
  assert.ok(statsReads >= 1 && statsReads <= 2, `figures read ${statsReads} times after one delivery`);

  await screenshot(admin, '60-admin-live-feed');
  await auditAccessibility(admin, 'admin console with the live feed');
});

scenario('the feed filters by kind', 60_000, async () => {
  const chip = admin.getByRole('group', { name: 'Show kinds of activity' });
  await chip.getByRole('button', { name: 'Deliveries', exact: true }).click();
  assert.equal(
    await chip.getByRole('button', { name: 'Deliveries', exact: true }).getAttribute('aria-pressed'),
    'false',
  );
  await admin.locator('[data-testid=admin-feed] [data-type=DELIVERY]').first().waitFor({ state: 'detached' });
  assert.ok((await admin.locator('[data-testid=admin-feed] [data-type=SIGN_IN]').count()) >= 1);
  await chip.getByRole('button', { name: 'Deliveries', exact: true }).click();
  await feedItem(admin, 'DELIVERY', USER).first().waitFor();
});

scenario('the charts show deliveries and storage by hour, day and month', 60_000, async () => {
  const tabs = admin.getByRole('tablist', { name: 'Period' });
  const panel = admin.getByTestId('history-panel');
  const expected = { Hour: 'HOUR', Day: 'DAY', Month: 'MONTH' } as const;
  for (const [label, range] of Object.entries(expected)) {
    await tabs.getByRole('tab', { name: label }).click();
    await admin.locator(`[data-testid=history-panel][data-range=${range}]`).waitFor();
    assert.equal(await tabs.getByRole('tab', { name: label }).getAttribute('aria-selected'), 'true');
    // the delivery of the first scenario is counted in every range
    await admin.waitForFunction(
      () =>
        /^1 delivery;/.test(
          document.querySelector('[data-testid=history-deliveries]')?.getAttribute('aria-label') ?? '',
        ),
      undefined,
      { timeout: 10_000 },
    );
    // the mail server samples the storage each minute
    assert.doesNotMatch(
      (await panel.getByTestId('history-storage').getAttribute('aria-label')) ?? '',
      /No storage samples/,
    );
    if (range === 'DAY') {
      await panel.getByText('Show the figures as a table').click();
      assert.ok((await panel.getByTestId('history-table').locator('tbody tr').count()) >= 1);
      await screenshot(admin, '61-admin-charts-day');
    }
  }
  // the arrow keys move between the tabs
  await tabs.getByRole('tab', { name: 'Month' }).focus();
  await admin.keyboard.press('ArrowRight');
  await admin.locator('[data-testid=history-panel][data-range=HOUR]').waitFor();
  await screenshot(admin, '62-admin-charts-hour');
});

scenario('the user detail page shows mailboxes, sessions, app passwords and activity', 90_000, async () => {
  const token = (
    await api<{ signIn: { token: string } }>(
      'mutation ($u: String!, $p: String!) { signIn(username: $u, password: $p) { token } }',
      { u: USER, p: USER_PASSWORD },
    )
  ).signIn.token;
  await api(
    'mutation { createAppPassword(name: "Laptop mail", scopes: [imap, smtp]) { password } }',
    {},
    token,
  );
  // two-factor on, so that the administrator can reset it
  const setup = await api<{ beginTwoFactorSetup: { secret: string } }>(
    'mutation { beginTwoFactorSetup { secret } }',
    {},
    token,
  );
  const code = new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(setup.beginTwoFactorSetup.secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  }).generate();
  await api('mutation ($code: String!) { confirmTwoFactor(code: $code) { codes } }', { code }, token);

  await admin
    .locator(`[data-testid=user-row][data-address="${USER}"] [data-testid=user-detail-link]`)
    .click();
  await admin.waitForURL((url) => url.pathname === `/admin/users/${userId}`);
  await admin.getByRole('heading', { name: USER, level: 1 }).waitFor();
  const inbox = admin.locator('[data-testid=detail-mailbox][data-path=INBOX]');
  assert.match(await inbox.innerText(), /INBOX\s+1\s+1\s+\d/);
  assert.equal(await admin.getByTestId('detail-mailbox').count(), 6);
  assert.match(await admin.getByTestId('detail-sessions').innerText(), /API client from 127\.0\.0\.1/);
  assert.match(await admin.getByTestId('detail-app-passwords').innerText(), /Laptop mail \(IMAP, SMTP\)/);
  const events = admin.getByTestId('detail-events');
  await events.locator('[data-type=DELIVERY]').filter({ hasText: 'Quarterly figures' }).waitFor();
  await events.locator('[data-type=SIGN_IN]').first().waitFor();
  assert.equal(await admin.getByTestId('user-two-factor').innerText(), 'Two-factor on');
  await screenshot(admin, '63-admin-user-detail');
  await auditAccessibility(admin, 'admin user detail');
});

scenario(
  'the administrator sets the quota, disables and enables the user, and resets two-factor',
  90_000,
  async () => {
    await admin.getByRole('button', { name: 'Set quota' }).click();
    const form = admin.getByTestId('quota-form');
    await form.getByLabel('Quota in megabytes').fill('20');
    await screenshot(admin, '64-admin-set-quota');
    await form.getByRole('button', { name: 'Set quota' }).click();
    await admin.getByTestId('notice').filter({ hasText: 'The quota of' }).waitFor();
    await admin.getByTestId('detail-storage').filter({ hasText: 'of 20.0 MB' }).waitFor();
    let stored = await stack.mail.db.collection('users').findOne({ address: USER });
    assert.equal(stored?.quota, 20 * 1024 * 1024);

    await admin.getByRole('button', { name: 'Disable account' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Disable account' }).click();
    await admin.getByTestId('user-status').filter({ hasText: 'Disabled' }).waitFor();
    stored = await stack.mail.db.collection('users').findOne({ address: USER });
    assert.equal(stored?.disabled, true);
    assert.equal(await imapSignIn(USER_PASSWORD), false, 'a disabled account cannot sign in');
    await screenshot(admin, '65-admin-user-disabled');
    await admin.getByRole('button', { name: 'Enable account' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Enable account' }).click();
    await admin.getByTestId('user-status').filter({ hasText: 'Active' }).waitFor();

    await admin.getByRole('button', { name: 'Reset two-factor' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Reset two-factor' }).click();
    await admin.getByTestId('user-two-factor').filter({ hasText: 'Two-factor off' }).waitFor();
    const twoFactor = await stack.mail.db
      .collection('twoFactor')
      .findOne({ user: stored!._id, enabled: true });
    assert.equal(twoFactor, null);
    assert.equal(await admin.getByRole('button', { name: 'Reset two-factor' }).count(), 0);
  },
);

scenario('at phone width the user detail page and the console fit', 60_000, async () => {
  const phone = await browser.newPage({ width: 390, height: 844 });
  await signIn(phone, stack.webUrl, ADMIN, ADMIN_PASSWORD, `/admin/users/${userId}`);
  await phone.getByRole('heading', { name: USER, level: 1 }).waitFor();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow}px wider than the screen`);
  await screenshot(phone, '66-admin-user-detail-phone');
  await phone.goto(`${stack.webUrl}/admin`);
  await phone.getByTestId('admin-live').filter({ hasText: 'Live' }).waitFor();
  // the feed and the charts fit the screen (the users table scrolls sideways in its own box)
  const widest = await phone.evaluate(() =>
    ['history-title', 'feed-title'].map((id) => {
      const section = document.getElementById(id)!.closest('section')!;
      return Math.round(section.getBoundingClientRect().right);
    }),
  );
  for (const right of widest) assert.ok(right <= 390, `a section ends at ${right}px on a 390px screen`);
  const overflowing = await phone.evaluate(() =>
    Array.from(document.querySelectorAll('body *'))
      .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
      .filter((element) => !element.closest('.overflow-x-auto'))
      .slice(0, 3)
      .map((element) => `${element.tagName.toLowerCase()}.${String(element.className).slice(0, 60)}`),
  );
  if (overflowing.length) console.log('wider than the phone screen on /admin:', overflowing);
});
