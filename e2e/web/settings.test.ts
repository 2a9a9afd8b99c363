/**
 * The Settings screen in a real browser (Debian's Chromium, headless) against real processes (a
 * mail server, the API, the production build of the web app), issue 17: a user changes their
 * password, makes an app password that signs a real IMAP client in and revokes it, turns on
 * two-factor sign-in and signs in with a code and with a recovery code, builds a filter rule,
 * writes a Sieve script with a mistake shown at its line, sets a vacation reply and forwarding;
 * an administrator resets the user's two-factor sign-in. Screenshots of every section go to
 * e2e/artifacts/web/ (20-… to 32-…).
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ImapFlow } from 'imapflow';
import * as OTPAuth from 'otpauth';
import type { Page } from 'playwright-core';
import { BrowserScenarios, screenshot, signIn } from './browser.js';
import { startWebStack, type WebStack } from './stack.js';

const ADMIN = 'admin@settings.test';
const ADMIN_PASSWORD = 'admin-password-1';
const USER = 'sam@settings.test';
const FIRST_PASSWORD = 'first-password-1';
const PASSWORD = 'second-password-2';

let stack: WebStack;
const browser = new BrowserScenarios('failed-settings-', () => stack?.output() ?? '');
const { scenario } = browser;
let page: Page;
let totpSecret = '';
/** The TOTP time step of the last code used: the API may refuse a code twice. */
let lastCounter = -1;
let recoveryCodes: string[] = [];

before(
  async () => {
    stack = await startWebStack('settings');
    await stack.createUser(ADMIN, ADMIN_PASSWORD, 'admin');
    await stack.createUser(USER, FIRST_PASSWORD);
    await browser.launch();
  },
  { timeout: 600_000 },
);

after(async () => {
  await browser.close();
  await stack?.stop();
});

const newPage = () => browser.newPage({ width: 1280, height: 900 });

async function openSection(label: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('link', { name: label })
    .click();
  await page.getByRole('heading', { name: label, level: 2 }).waitFor();
}

function notice() {
  return page.getByTestId('settings-notice').filter({ hasText: /\S/ });
}

/** A TOTP code for the secret, from a time step after the last one used (waits up to 30 s). */
async function nextCode(): Promise<string> {
  const totp = new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(totpSecret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  });
  for (;;) {
    const counter = Math.floor(Date.now() / 30_000);
    // not in the last two seconds of a step either, so the code is still good when it arrives
    if (counter > lastCounter && Date.now() % 30_000 < 28_000) {
      lastCounter = counter;
      return totp.generate();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function imapLogin(pass: string): Promise<boolean> {
  const client = new ImapFlow({
    host: stack.mail.host,
    port: stack.mail.imapPort,
    secure: false,
    auth: { user: USER, pass },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  try {
    await client.connect();
    await client.logout();
    return true;
  } catch {
    client.close();
    return false;
  }
}

async function signOut(): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

/** Signs in through the code step; answers once back on /settings. */
async function signInWithCode(code: string): Promise<void> {
  await page.goto(`${stack.webUrl}/signin?callbackUrl=%2Fsettings`);
  await page.getByLabel('Email address').fill(USER);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('two-factor-step').waitFor();
  await page.getByLabel('Authentication code').fill(code);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL((url) => url.pathname === '/settings', { timeout: 20_000 });
}

scenario('the user opens Settings from the webmail and changes their password', 90_000, async () => {
  page = await newPage();
  await signIn(page, stack.webUrl, USER, FIRST_PASSWORD, '/mail');
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Settings' }).click();
  await page.waitForURL((url) => url.pathname === '/settings');
  await page.getByRole('heading', { name: 'Account', level: 2 }).waitFor();

  // a wrong current password is refused, with the reason on the page, and the session stays
  await page.getByLabel('Current password').fill('not-the-password');
  await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('New password again').fill(PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page
    .getByTestId('settings-account')
    .locator('[role=alert], [data-testid=field-error]')
    .first()
    .waitFor();
  assert.equal(new URL(page.url()).pathname, '/settings');

  await page.getByLabel('Current password').fill(FIRST_PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await notice().filter({ hasText: 'password has been changed' }).waitFor();
  await screenshot(page, '20-settings-account');
  assert.equal(await imapLogin(FIRST_PASSWORD), false, 'the old password no longer signs in');
  assert.equal(await imapLogin(PASSWORD), true, 'the new password signs in');
});

scenario('an app password signs an IMAP client in until it is revoked', 90_000, async () => {
  await openSection('App passwords');
  await page.getByLabel('Name').fill('Thunderbird on the laptop');
  await page.getByRole('button', { name: 'Create app password' }).click();
  const secret = (await page.getByTestId('new-secret-value').innerText()).trim();
  assert.ok(secret.length >= 12, `an app password is shown (${secret})`);
  const row = page.locator('[data-testid=app-password-row][data-name="Thunderbird on the laptop"]');
  await row.waitFor();
  assert.match(await row.innerText(), /IMAP, SMTP/);
  await screenshot(page, '21-settings-app-passwords');

  assert.equal(await imapLogin(secret), true, 'the app password opens IMAP');
  await page.getByRole('button', { name: 'Done, I have copied it' }).click();
  assert.equal(await page.getByTestId('new-secret').count(), 0, 'the secret is shown only once');
  await page.reload();
  await page.getByRole('heading', { name: 'App passwords', level: 2 }).waitFor();
  assert.match(await row.getByTestId('app-password-last-used').innerText(), /from /);

  await row.getByRole('button', { name: 'Revoke Thunderbird on the laptop' }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke app password' });
  await dialog.getByRole('button', { name: 'Revoke' }).click();
  await row.waitFor({ state: 'detached' });
  await notice().filter({ hasText: 'was revoked' }).waitFor();
  assert.equal(await imapLogin(secret), false, 'a revoked app password no longer opens IMAP');
});

scenario('two-factor sign-in: set-up, sign-in with a code and with a recovery code', 180_000, async () => {
  await openSection('Two-factor sign-in');
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  const secretElement = page.getByTestId('two-factor-secret');
  totpSecret = (await secretElement.getAttribute('data-secret')) ?? '';
  assert.match(totpSecret, /^[A-Z2-7]+=*$/, 'the secret is Base32');
  // the QR code is an image of the API's SVG, not markup in the page
  const qr = page.getByTestId('two-factor-qr');
  assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/svg\+xml/);
  assert.ok(await qr.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0));
  await screenshot(page, '22-settings-two-factor-setup');

  await page.getByLabel('Code', { exact: true }).fill(await nextCode());
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await page.getByTestId('recovery-codes').waitFor();
  recoveryCodes = await page.getByTestId('recovery-code').allInnerTexts();
  assert.equal(recoveryCodes.length, 10);
  assert.equal(new Set(recoveryCodes).size, 10);
  await screenshot(page, '23-settings-recovery-codes');
  await page.getByRole('button', { name: 'Done, I have saved them' }).click();
  await page.getByTestId('recovery-codes-left').filter({ hasText: '10 unused' }).waitFor();
  assert.equal((await page.getByTestId('two-factor-status').innerText()).trim(), 'On');

  // the password alone is not enough any more: the form asks for the code
  await signOut();
  await page.goto(`${stack.webUrl}/signin?callbackUrl=%2Fsettings`);
  await page.getByLabel('Email address').fill(USER);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('two-factor-step').waitFor();
  await screenshot(page, '24-sign-in-two-factor');
  // a wrong code is refused and the step stays
  await page.getByLabel('Authentication code').fill('000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('alert').filter({ hasText: 'code is not right' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/signin');
  await page.getByLabel('Authentication code').fill(await nextCode());
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL((url) => url.pathname === '/settings', { timeout: 20_000 });
  assert.equal(await page.getByTestId('signed-in-address').innerText(), USER);

  // a recovery code signs in once
  await signOut();
  await signInWithCode(recoveryCodes[0]!);
  await openSection('Two-factor sign-in');
  await page.getByTestId('recovery-codes-left').filter({ hasText: '9 unused' }).waitFor();
  await screenshot(page, '25-settings-two-factor-on');

  // new recovery codes, with a code from the authenticator: ten again, none of the old ones
  await page.locator('#regenerate-codes-code').fill(await nextCode());
  await page.getByRole('button', { name: 'Make new recovery codes' }).click();
  await page.getByTestId('recovery-codes').waitFor();
  const fresh = await page.getByTestId('recovery-code').allInnerTexts();
  assert.equal(fresh.length, 10);
  assert.ok(fresh.every((code) => !recoveryCodes.includes(code)));
  await page.getByRole('button', { name: 'Done, I have saved them' }).click();
  await page.getByTestId('recovery-codes-left').filter({ hasText: '10 unused' }).waitFor();
});

scenario('a filter rule built with the form is written as Sieve', 60_000, async () => {
  await openSection('Filters');
  await page.getByRole('button', { name: 'New rule' }).click();
  const editor = page.getByTestId('rule-editor');
  // saving without a value is refused beside the field
  await editor.getByLabel('Name').fill('Shop newsletters');
  await editor.getByRole('button', { name: 'Save rule' }).click();
  await editor.getByTestId('field-error').filter({ hasText: 'contain' }).waitFor();

  await editor.getByLabel('Field').selectOption('from');
  await editor.getByLabel('Match').selectOption('contains');
  await editor.getByLabel('Value').fill('news@shop.example');
  await editor.getByLabel('Action 1', { exact: true }).selectOption('move');
  await editor.getByLabel('Folder for action 1').selectOption('Archive');
  await editor.getByRole('button', { name: 'Add action' }).click();
  await editor.getByLabel('Action 2', { exact: true }).selectOption('markRead');
  await editor.getByLabel('Stop here').check();
  await screenshot(page, '26-settings-filter-editor');
  await editor.getByRole('button', { name: 'Save rule' }).click();
  await editor.waitFor({ state: 'detached' });
  const rule = page.locator('[data-testid=filter-rule][data-name="Shop newsletters"]');
  await rule.waitFor();
  assert.match(
    await rule.innerText(),
    /From contains “news@shop\.example” → move to Archive, mark as read; stop/,
  );
  const sieve = await page.getByTestId('generated-sieve').innerText();
  assert.match(sieve, /news@shop\.example/);
  assert.match(sieve, /fileinto/);
  assert.match(sieve, /Archive/);

  // a second rule, moved above the first, then turned off
  await page.getByRole('button', { name: 'New rule' }).click();
  await editor.getByLabel('Name').fill('Boss');
  await editor.getByLabel('Field').selectOption('subject');
  await editor.getByLabel('Value').fill('urgent');
  await editor.getByLabel('Action 1', { exact: true }).selectOption('flag');
  await editor.getByRole('button', { name: 'Save rule' }).click();
  await page.locator('[data-testid=filter-rule][data-name="Boss"]').waitFor();
  await page.getByRole('button', { name: 'Move Boss up' }).click();
  await notice().filter({ hasText: 'moved up' }).waitFor();
  assert.deepEqual(
    await page
      .getByTestId('filter-rule')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-name'))),
    ['Boss', 'Shop newsletters'],
  );
  await page.getByLabel('Boss is on').uncheck();
  await notice().filter({ hasText: 'turned off' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Filters', level: 2 }).waitFor();
  await page.locator('[data-testid=filter-rule][data-name="Boss"]').waitFor();
  assert.equal(await page.getByLabel('Boss is on').isChecked(), false);
  await screenshot(page, '27-settings-filters');
});

scenario(
  'a Sieve script with a mistake shows it at its line; fixed, it is saved and active',
  60_000,
  async () => {
    await openSection('Sieve scripts');
    await page.getByRole('button', { name: 'New script' }).click();
    await page.getByLabel('Script name').fill('lists');
    const broken = [
      'require ["fileinto"];',
      '',
      'if header :contains "list-id" "announce" {',
      '  frobnicate "Archive";',
      '}',
      '',
    ].join('\n');
    const editor = page.getByRole('textbox', { name: 'Sieve script' });
    await editor.fill(broken);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    const problem = page.getByTestId('sieve-problem').first();
    await problem.waitFor();
    assert.match(await problem.innerText(), /^line 4, column \d+: /);
    await page.locator('[data-testid=sieve-bad-line][data-line="4"]').waitFor();
    // the problem's button puts the caret on its line
    await problem.click();
    const caretLine = await editor.evaluate(
      (area: HTMLTextAreaElement) => area.value.slice(0, area.selectionStart).split('\n').length,
    );
    assert.equal(caretLine, 4);
    await screenshot(page, '28-settings-sieve-error');

    // saving is refused too, with the same place
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('sieve-problem').filter({ hasText: 'line 4' }).waitFor();
    assert.equal(await page.getByTestId('sieve-script').count(), 0, 'nothing was stored');

    await editor.fill(broken.replace('frobnicate', 'fileinto'));
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await notice().filter({ hasText: 'No mistakes found' }).waitFor();
    assert.equal(await page.getByTestId('sieve-problem').count(), 0);
    await page.getByRole('button', { name: 'Save and activate' }).click();
    await notice().filter({ hasText: 'saved and active' }).waitFor();
    const listed = page.locator('[data-testid=sieve-script][data-name="lists"]');
    await listed.filter({ hasText: 'active' }).waitFor();

    // rename, deactivate and activate again
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('New name').fill('mailing-lists');
    await page.locator('form').getByRole('button', { name: 'Rename' }).click();
    await page.locator('[data-testid=sieve-script][data-name="mailing-lists"]').waitFor();
    await page.getByRole('button', { name: 'Deactivate' }).click();
    await notice().filter({ hasText: 'No script is active' }).waitFor();
    await page.getByRole('button', { name: 'Activate', exact: true }).click();
    await notice().filter({ hasText: 'is the active script' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sieve scripts', level: 2 }).waitFor();
    await page
      .locator('[data-testid=sieve-script][data-name="mailing-lists"]')
      .filter({ hasText: 'active' })
      .waitFor();
    await page.locator('[data-testid=sieve-script][data-name="mailing-lists"]').click();
    assert.match(await editor.inputValue(), /fileinto "Archive";/);
    await screenshot(page, '29-settings-sieve');
  },
);

scenario('the vacation reply is saved and shown again after a reload', 60_000, async () => {
  await openSection('Vacation reply');
  await page.getByLabel('Send a vacation reply').check();
  await page.getByLabel('Subject').fill('Away until the new year');
  await page.getByLabel('Text').fill('I am away and read mail from 2 January.\nUrgent: ask Robin.');
  await page.getByLabel('First day').fill('2026-12-20');
  await page.getByLabel('Last day').fill('2027-01-01');
  await page.getByLabel('Answer a sender again after').fill('5');
  await page.getByRole('button', { name: 'Save vacation reply' }).click();
  await notice().filter({ hasText: 'saved and on' }).waitFor();

  await page.reload();
  await page.getByRole('heading', { name: 'Vacation reply', level: 2 }).waitFor();
  await page.getByLabel('Subject').waitFor();
  assert.equal(await page.getByLabel('Send a vacation reply').isChecked(), true);
  assert.equal(await page.getByLabel('Subject').inputValue(), 'Away until the new year');
  assert.equal(
    await page.getByLabel('Text').inputValue(),
    'I am away and read mail from 2 January.\nUrgent: ask Robin.',
  );
  assert.equal(await page.getByLabel('First day').inputValue(), '2026-12-20');
  assert.equal(await page.getByLabel('Last day').inputValue(), '2027-01-01');
  assert.equal(await page.getByLabel('Answer a sender again after').inputValue(), '5');
  await screenshot(page, '30-settings-vacation');
});

scenario('forwarding without a copy is saved and shown again after a reload', 60_000, async () => {
  await openSection('Forwarding');
  // a mistake is shown beside its field
  await page.getByLabel('Forward incoming mail').check();
  await page.getByLabel('Forward to').fill('not an address');
  await page.getByRole('button', { name: 'Save forwarding' }).click();
  await page.getByTestId('field-error').filter({ hasText: 'not an email address' }).waitFor();

  await page.getByLabel('Forward to').fill('sam@elsewhere.example\nsam.backup@elsewhere.example');
  await page.getByLabel('Keep a copy in this mailbox').uncheck();
  await page.getByRole('button', { name: 'Save forwarding' }).click();
  await notice().filter({ hasText: 'Forwarding saved and on' }).waitFor();

  await page.reload();
  await page.getByRole('heading', { name: 'Forwarding', level: 2 }).waitFor();
  await page.getByLabel('Forward to').waitFor();
  assert.equal(await page.getByLabel('Forward incoming mail').isChecked(), true);
  assert.equal(
    await page.getByLabel('Forward to').inputValue(),
    'sam@elsewhere.example\nsam.backup@elsewhere.example',
  );
  assert.equal(await page.getByLabel('Keep a copy in this mailbox').isChecked(), false);
  await screenshot(page, '31-settings-forwarding');

  // the generated Sieve now forwards too (read on the Filters section)
  await openSection('Filters');
  assert.match(await page.getByTestId('generated-sieve').innerText(), /redirect/);
});

scenario(
  'an administrator resets the two-factor sign-in and the user signs in without a code',
  90_000,
  async () => {
    const admin = await newPage();
    await signIn(admin, stack.webUrl, ADMIN, ADMIN_PASSWORD, '/admin');
    const row = admin.locator(`[data-testid=user-row][data-address="${USER}"]`);
    await row.waitFor();
    await row.getByRole('button', { name: `Reset two-factor sign-in of ${USER}` }).click();
    const dialog = admin.getByRole('dialog', { name: 'Reset two-factor sign-in' });
    await dialog.waitFor();
    await screenshot(admin, '32-admin-reset-two-factor');
    await dialog.getByRole('button', { name: 'Reset two-factor' }).click();
    await admin.getByTestId('notice').filter({ hasText: 'is off' }).waitFor();
    await row
      .getByRole('button', { name: `Reset two-factor sign-in of ${USER}` })
      .waitFor({ state: 'detached' });

    await signOut();
    await signIn(page, stack.webUrl, USER, PASSWORD, '/settings');
    await openSection('Two-factor sign-in');
    assert.equal((await page.getByTestId('two-factor-status').innerText()).trim(), 'Off');
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).waitFor();
  },
);
