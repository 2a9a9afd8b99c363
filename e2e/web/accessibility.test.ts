/**
 * Accessible and comfortable (issue 18): every screen of the web console audited with axe-core
 * (no serious or critical violation) in three modes: light, dark (the system's colour scheme,
 * followed by the CSS alone) and phone width (390 px, where the page must not scroll sideways
 * and dialogs must fit); and the way from sign-in to reading a message, replying and sending,
 * with the keyboard alone and a visible focus on every control it passes. Real processes (mail
 * server, API, the web app's production build) and Debian's Chromium, as in console.test.ts.
 *
 * To audit a new screen, add one line to SCREENS: a name, who looks at it, and how to open it.
 * At the end the results of every audit of the run (e2e/artifacts/web/axe-results.jsonl, which the
 * other browser tests append to as well) are printed as a table: screen × mode → counts by impact.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { auditAccessibility, type AxeSummary } from './axe.js';
import { artifactsDir, BrowserScenarios, screenshot, signIn } from './browser.js';
import { deliverByLmtp } from './deliver.js';
import { startWebStack, type WebStack } from './stack.js';

const PASSWORD = 'a11y-password-1';
const ACCOUNTS = {
  admin: 'admin@a11y.test',
  /** Has mail in INBOX. */
  user: 'reader@a11y.test',
  /** Has no mail at all. */
  newcomer: 'newcomer@a11y.test',
} as const;
type Role = keyof typeof ACCOUNTS | 'anonymous';

interface Mode {
  name: 'light' | 'dark' | 'narrow';
  viewport: { width: number; height: number };
  colorScheme: 'light' | 'dark';
}
const DESKTOP = { width: 1280, height: 900 };
const MODES: Mode[] = [
  { name: 'light', viewport: DESKTOP, colorScheme: 'light' },
  { name: 'dark', viewport: DESKTOP, colorScheme: 'dark' },
  { name: 'narrow', viewport: { width: 390, height: 844 }, colorScheme: 'light' },
];

interface Screen {
  name: string;
  as: Role;
  /** Brings the page (already signed in as `as`) to the screen and waits until it is shown. */
  open: (page: Page) => Promise<void>;
  /** Screenshots (our range is 70-89) of this screen in some modes. */
  shots?: Partial<Record<Mode['name'], string>>;
}

let stack: WebStack;
const browser = new BrowserScenarios('failed-a11y-', () => stack?.output() ?? '');
const { scenario } = browser;
/** The audits of this run are the lines of axe-results.jsonl after the ones already there. */
const auditsFile = join(artifactsDir, 'axe-results.jsonl');
const auditsBefore = existsSync(auditsFile)
  ? readFileSync(auditsFile, 'utf8').split('\n').filter(Boolean).length
  : 0;

// ---- how screens are reached ----------------------------------------------------------------

/** Goes to `path` and waits for `ready`. */
const visit =
  (path: string, ready: (page: Page) => Locator) =>
  async (page: Page): Promise<void> => {
    await page.goto(`${stack.webUrl}${path}`);
    await ready(page).first().waitFor();
  };

/** Runs the steps one after another. */
const then =
  (...steps: ((page: Page) => Promise<unknown>)[]) =>
  async (page: Page): Promise<void> => {
    for (const step of steps) await step(page);
  };

const heading = (name: string | RegExp, level?: number) => (page: Page) =>
  page.getByRole('heading', { name, level });
const testId = (id: string) => (page: Page) => page.getByTestId(id);
const dialog = (name?: string | RegExp) => (page: Page) =>
  page.getByRole('dialog', name ? { name } : undefined);
const click =
  (name: string | RegExp, role: 'button' | 'link' = 'button') =>
  (page: Page) =>
    page.getByRole(role, { name }).first().click();
const press = (key: string) => (page: Page) => page.keyboard.press(key);
const waitFor = (what: (page: Page) => Locator) => (page: Page) => what(page).first().waitFor();
const settings = (id: string, label: string) => visit(`/settings?section=${id}`, heading(label, 2));

/** At phone width the folders are in a drawer: opens it when its button is shown. */
async function showFolders(page: Page): Promise<void> {
  const drawer = page.getByRole('button', { name: 'Show folders' });
  if (await drawer.isVisible()) await drawer.click();
}

async function wrongPassword(page: Page): Promise<void> {
  await page.goto(`${stack.webUrl}/signin`);
  await page.getByLabel('Email address').fill(ACCOUNTS.user);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: /\S/ }).first().waitFor();
}

/** Shows the message list as `mode` (Conversations or Messages); the choice stays in the browser. */
const listAs = (mode: 'Conversations' | 'Messages') => async (page: Page) => {
  const button = page.getByTestId('list-mode-switch').getByRole('button', { name: mode });
  if ((await button.getAttribute('aria-pressed')) !== 'true') await button.click();
};
const mail = then(
  visit('/mail', testId('list-mode-switch')),
  listAs('Messages'),
  waitFor((page) => page.getByTestId('message-row')),
);
const reading = then(
  mail,
  (page) => page.getByTestId('message-row').filter({ hasText: 'Quarterly figures' }).click(),
  waitFor(testId('reading-pane')),
);

// One line a screen. Dialogs are audited open, over the screen they belong to.
const SCREENS: Screen[] = [
  {
    name: 'landing',
    as: 'anonymous',
    open: visit('/', heading(/Mail hosting/, 1)),
    shots: { dark: '70-dark-landing', narrow: '80-narrow-landing' },
  },
  {
    name: 'sign-in',
    as: 'anonymous',
    open: visit('/signin', (page) => page.getByRole('button', { name: 'Sign in' })),
    shots: { dark: '71-dark-sign-in' },
  },
  { name: 'sign-in: wrong password', as: 'anonymous', open: wrongPassword },
  {
    name: 'session expired',
    as: 'anonymous',
    open: visit('/session-expired?callbackUrl=%2Fmail', (page) =>
      page.getByRole('alert').filter({ hasText: /session/i }),
    ),
  },
  { name: 'not found', as: 'anonymous', open: visit('/no-such-page', heading(/./, 1)) },
  { name: 'webmail: empty', as: 'newcomer', open: visit('/mail', testId('empty-list')) },
  { name: 'webmail: messages', as: 'user', open: mail, shots: { dark: '72-dark-webmail' } },
  {
    name: 'webmail: folders drawer',
    as: 'user',
    open: then(
      mail,
      showFolders,
      waitFor((page) => page.getByRole('button', { name: /^Inbox/ })),
    ),
  },
  {
    name: 'webmail: reading pane',
    as: 'user',
    open: reading,
    shots: { dark: '73-dark-reading-pane', narrow: '81-narrow-reading-pane' },
  },
  {
    name: 'webmail: move menu',
    as: 'user',
    open: then(
      reading,
      click('Move to folder'),
      waitFor((page) => page.getByRole('menu', { name: 'Move to folder' })),
    ),
  },
  {
    name: 'webmail: compose',
    as: 'user',
    open: then(mail, press('c'), waitFor(testId('compose'))),
    shots: { dark: '74-dark-compose', narrow: '82-narrow-compose' },
  },
  { name: 'webmail: reply', as: 'user', open: then(reading, press('r'), waitFor(testId('compose'))) },
  {
    name: 'webmail: keyboard shortcuts',
    as: 'user',
    open: then(mail, press('?'), waitFor(dialog(/Keyboard shortcuts/))),
  },
  {
    name: 'webmail: new folder',
    as: 'user',
    open: then(mail, showFolders, click('New folder'), waitFor(dialog())),
  },
  {
    name: 'webmail: bulk selection',
    as: 'user',
    open: then(
      mail,
      (page) =>
        page
          .getByRole('checkbox', { name: /^Select / })
          .first()
          .click(),
      waitFor(testId('bulk-toolbar')),
    ),
  },
  {
    name: 'webmail: folder actions menu',
    as: 'user',
    open: then(
      mail,
      showFolders,
      click(/^Actions for /),
      waitFor((page) => page.getByRole('menu')),
    ),
  },
  {
    name: 'webmail: conversations',
    as: 'user',
    open: then(mail, listAs('Conversations'), waitFor(testId('thread-row'))),
  },
  {
    name: 'webmail: open conversation',
    as: 'user',
    open: then(
      mail,
      listAs('Conversations'),
      (page) => page.getByTestId('thread-row').filter({ hasText: 'Quarterly figures' }).click(),
      waitFor(testId('reading-pane')),
    ),
  },
  {
    name: 'settings: account',
    as: 'user',
    open: settings('account', 'Account'),
    shots: { dark: '75-dark-settings-account', narrow: '83-narrow-settings-account' },
  },
  {
    name: 'settings: app passwords',
    as: 'user',
    open: settings('app-passwords', 'App passwords'),
    shots: { narrow: '84-narrow-settings-app-passwords' },
  },
  { name: 'settings: two-factor', as: 'user', open: settings('two-factor', 'Two-factor sign-in') },
  {
    name: 'settings: two-factor set-up',
    as: 'user',
    open: then(
      settings('two-factor', 'Two-factor sign-in'),
      click('Set up two-factor sign-in'),
      waitFor(testId('two-factor-qr')),
    ),
    shots: { narrow: '85-narrow-settings-two-factor-setup' },
  },
  { name: 'settings: filters', as: 'user', open: settings('filters', 'Filters') },
  {
    name: 'settings: filter rule form',
    as: 'user',
    open: then(settings('filters', 'Filters'), click('New rule'), waitFor(heading('New rule'))),
    shots: { dark: '76-dark-settings-filter-rule', narrow: '86-narrow-settings-filter-rule' },
  },
  {
    name: 'settings: sieve',
    as: 'user',
    open: settings('sieve', 'Sieve scripts'),
    shots: { narrow: '87-narrow-settings-sieve' },
  },
  { name: 'settings: vacation', as: 'user', open: settings('vacation', 'Vacation reply') },
  { name: 'settings: forwarding', as: 'user', open: settings('forwarding', 'Forwarding') },
  { name: 'settings: identities', as: 'user', open: settings('identities', 'Identities') },
  {
    name: 'admin: user detail',
    as: 'admin',
    open: then(
      visit('/admin', testId('users-table')),
      click(ACCOUNTS.user, 'link'),
      waitFor(testId('detail-mailboxes')),
    ),
  },
  {
    name: 'admin: console',
    as: 'admin',
    open: visit('/admin', testId('users-table')),
    shots: { dark: '77-dark-admin-console', narrow: '88-narrow-admin-console' },
  },
  {
    name: 'admin: new user',
    as: 'admin',
    open: then(visit('/admin', testId('users-table')), click('New user'), waitFor(testId('user-form'))),
    shots: { dark: '78-dark-admin-new-user' },
  },
  {
    name: 'admin: edit user',
    as: 'admin',
    open: then(visit('/admin', testId('users-table')), click(`Edit ${ACCOUNTS.user}`), waitFor(dialog())),
    shots: { narrow: '89-narrow-admin-edit-user' },
  },
  {
    name: 'admin: delete user',
    as: 'admin',
    open: then(
      visit('/admin', testId('users-table')),
      click(`Delete ${ACCOUNTS.user}`),
      waitFor(dialog('Delete user')),
    ),
  },
  {
    name: 'admin: administrators only',
    as: 'user',
    open: visit('/admin', (page) => page.getByText('Administrators only')),
    shots: { dark: '79-dark-administrators-only' },
  },
];

// ---- the run ----------------------------------------------------------------------------------

before(
  async () => {
    stack = await startWebStack('a11y');
    await stack.createUser(ACCOUNTS.admin, PASSWORD, 'admin');
    await stack.createUser(ACCOUNTS.user, PASSWORD);
    await stack.createUser(ACCOUNTS.newcomer, PASSWORD);
    await deliverByLmtp(stack.mail.lmtpPort, {
      from: `The Admin <${ACCOUNTS.admin}>`,
      to: ACCOUNTS.user,
      subject: 'Quarterly figures',
      text: 'The figures are in.',
      html:
        '<p>The figures are in. <a href="https://example.test/figures">See the sheet</a>.</p>' +
        '<blockquote>Last quarter was fine.</blockquote>',
      attachments: [{ filename: 'figures.csv', content: 'quarter,total\nQ1,42\n', contentType: 'text/csv' }],
    });
    for (const subject of [
      'Weekend plans',
      'Lunch on Friday',
      'A very long subject line that must wrap or be cut at phone width, not push the page sideways',
    ]) {
      await deliverByLmtp(stack.mail.lmtpPort, {
        from: 'Pat <pat@elsewhere.test>',
        to: ACCOUNTS.user,
        subject,
        text: `About ${subject.toLowerCase()}.`,
      });
    }
    await browser.launch();
  },
  { timeout: 600_000 },
);

after(async () => {
  await browser.close();
  await stack?.stop();
  printAuditTable();
});

/** One signed-in page per role and mode, made on first use. */
const pages = new Map<string, Page>();
async function pageFor(role: Role, mode: Mode): Promise<Page> {
  const key = `${role}/${mode.name}`;
  let page = pages.get(key);
  if (!page) {
    page = await browser.newPage(mode.viewport);
    await page.emulateMedia({ colorScheme: mode.colorScheme });
    if (role !== 'anonymous') {
      // one more try: on a loaded machine the first production render can outlast signIn's wait
      await signIn(page, stack.webUrl, ACCOUNTS[role], PASSWORD, '/mail').catch(() =>
        signIn(page!, stack.webUrl, ACCOUNTS[role], PASSWORD, '/mail'),
      );
    }
    pages.set(key, page);
  }
  return page;
}

/** At phone width: the page does not scroll sideways, and an open dialog fits on the screen. */
async function assertFitsNarrowScreen(page: Page, screen: string): Promise<void> {
  const fit = await page.evaluate(() => {
    const root = document.documentElement;
    const open = document.querySelector('dialog[open]');
    const box = open?.getBoundingClientRect();
    // the element that reaches furthest past the right edge (the outermost of equals), to name it
    let wide: Element | undefined;
    let furthest = root.clientWidth + 1;
    for (const element of Array.from(document.body.querySelectorAll('*'))) {
      const right = element.getBoundingClientRect().right;
      if (right > furthest) [wide, furthest] = [element, right];
    }
    const name = wide
      ? `${wide.tagName.toLowerCase()}${wide.id ? `#${wide.id}` : ''}.${String(
          wide.getAttribute('class') ?? '',
        )
          .split(' ')
          .slice(0, 4)
          .join('.')} (to ${Math.round(furthest)} px)`
      : '';
    return {
      wide: name,
      scrollWidth: root.scrollWidth,
      width: root.clientWidth,
      dialog: box ? { left: box.left, right: box.right } : null,
    };
  });
  assert.ok(
    fit.scrollWidth <= fit.width,
    `${screen}: the page is ${fit.scrollWidth} px wide in a ${fit.width} px screen (first too wide: ${fit.wide})`,
  );
  if (fit.dialog) {
    assert.ok(
      fit.dialog.left >= 0 && fit.dialog.right <= fit.width,
      `${screen}: the dialog spans ${fit.dialog.left}-${fit.dialog.right} px in a ${fit.width} px screen`,
    );
  }
}

/** A11Y_SCREENS=<regular expression> audits only the screens whose "name [mode]" matches it. */
const only = new RegExp(process.env.A11Y_SCREENS ?? '.');

for (const mode of MODES) {
  for (const screen of SCREENS) {
    if (!only.test(`${screen.name} [${mode.name}]`)) continue;
    scenario(`${screen.name} [${mode.name}]: no serious or critical axe violation`, 90_000, async () => {
      const page = await pageFor(screen.as, mode);
      await screen.open(page);
      // the dark palette really is in use: the page's background is dark
      if (mode.colorScheme === 'dark')
        assert.ok(await backgroundIsDark(page), `${screen.name}: dark background`);
      await auditAccessibility(page, `${screen.name} [${mode.name}]`);
      if (mode.name === 'narrow') await assertFitsNarrowScreen(page, screen.name);
      const shot = screen.shots?.[mode.name];
      if (shot) await screenshot(page, shot);
      // leave the page with no dialog open for the next screen
      await page.keyboard.press('Escape');
    });
  }
}

async function backgroundIsDark(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const context = canvas.getContext('2d')!;
    context.fillStyle = getComputedStyle(document.body).backgroundColor;
    context.fillRect(0, 0, 1, 1);
    const [red = 255, green = 255, blue = 255] = context.getImageData(0, 0, 1, 1).data;
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue < 64;
  });
}

// ---- keyboard only --------------------------------------------------------------------------

/**
 * What marks the focused element: its own outline or ring (a box-shadow with a spread, as
 * Tailwind's ring), or, for a field inside a frame or a visually hidden input inside its label,
 * the outline or ring of an ancestor (focus-within). Empty when the focus is not visible.
 */
async function focusMark(page: Page): Promise<{ tag: string; name: string; mark: string }> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return { tag: 'body', name: '', mark: '' };
    const name = (element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 40);
    let node: HTMLElement | null = element;
    for (let depth = 0; node && depth < 4; node = node.parentElement, depth += 1) {
      // (no helper functions in here: the page runs this code as it is, without the test's helpers)
      const box = node.getBoundingClientRect();
      if (box.width < 4 || box.height < 4) continue;
      const style = getComputedStyle(node);
      if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
        return { tag: element.tagName, name, mark: `outline ${style.outlineWidth} ${style.outlineColor}` };
      if (/0px 0px 0px [1-9]/.test(style.boxShadow))
        return { tag: element.tagName, name, mark: `ring ${style.boxShadow}` };
    }
    return { tag: element.tagName, name, mark: '' };
  });
}

/** Presses Tab until `reached` holds for the focused element, checking each stop shows its focus. */
async function tabUntil(page: Page, what: string, reached: () => Promise<boolean>, most = 40): Promise<void> {
  for (let step = 0; step < most; step += 1) {
    await page.keyboard.press('Tab');
    const focus = await focusMark(page);
    assert.ok(focus.mark, `the focus on ${focus.tag} "${focus.name}" is not visible`);
    if (await reached()) return;
  }
  throw new Error(`${what} was not reached in ${most} Tab presses`);
}

const focusedIs = (page: Page, selector: string) => () =>
  page.evaluate((css) => document.activeElement?.matches(css) ?? false, selector);

scenario(
  'from sign-in to a sent reply with the keyboard alone, the focus always visible',
  120_000,
  async () => {
    const page = await browser.newPage(DESKTOP);
    await page.goto(`${stack.webUrl}/signin?callbackUrl=%2Fmail`);

    // the form puts the focus in the address field, and shows it
    await page.waitForFunction(() => document.activeElement?.id === 'username');
    assert.ok((await focusMark(page)).mark, 'the focus in the address field is visible');
    await page.keyboard.type(ACCOUNTS.user);
    await tabUntil(page, 'the password field', focusedIs(page, 'input[type=password]'));
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/mail', { timeout: 20_000 });
    await page.getByTestId('message-row').first().waitFor();

    // the first Tab shows the skip link, which leads past the header and the folders to the list
    await tabUntil(page, 'the skip link', focusedIs(page, 'a[href="#main"]'), 1);
    assert.equal((await page.evaluate(() => document.activeElement?.textContent))?.trim(), 'Skip to content');
    const skip = await page.evaluate(() => document.activeElement!.getBoundingClientRect().width);
    assert.ok(skip > 20, 'the skip link is shown when focused');
    await page.keyboard.press('Enter');
    await tabUntil(page, 'the message list', focusedIs(page, '[data-testid=message-list]'), 10);
    // down the list to the message from the admin (a local address, so the reply can be sent)
    for (let step = 0; step < 10; step += 1) {
      await page.keyboard.press('ArrowDown');
      const cursor = await page.evaluate(() => {
        const id = document.activeElement?.getAttribute('aria-activedescendant');
        return id ? (document.getElementById(id)?.textContent ?? '') : '';
      });
      if (cursor.includes('Quarterly figures')) break;
    }
    await page.keyboard.press('Enter');
    const pane = page.getByTestId('reading-pane');
    await pane.waitFor();
    const subject = (await pane.getByRole('heading').first().innerText()).trim();

    // Reply, reached with Tab from the list
    await tabUntil(page, 'Reply', focusedIs(page, 'button[aria-label="Reply"]'));
    await page.keyboard.press('Enter');
    const compose = page.getByTestId('compose');
    await compose.waitFor();
    assert.equal(await compose.getByLabel('Subject').inputValue(), `Re: ${subject}`);
    // the focus is in the dialog, on the message, ready to type
    assert.ok(
      await page.evaluate(() => document.activeElement?.closest('dialog') !== null),
      'focus moved into compose',
    );
    await page.keyboard.type('Thanks, read with the keyboard alone.');
    // Tab stays inside the dialog (the native modal makes the rest inert)
    for (let step = 0; step < 25; step += 1) {
      await page.keyboard.press('Tab');
      const inside = await page.evaluate(() => document.activeElement?.closest('dialog[open]') !== null);
      const focus = await focusMark(page);
      if (focus.tag === 'body') continue; // the browser's own UI between the last and first control
      assert.ok(inside, `Tab left the dialog for ${focus.tag} "${focus.name}"`);
      assert.ok(focus.mark, `the focus on ${focus.tag} "${focus.name}" in compose is not visible`);
    }
    await compose.getByLabel('Message').focus();
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('notice').filter({ hasText: 'Message sent.' }).waitFor();
    await compose.waitFor({ state: 'detached' });
    // the focus went back to where it was, Reply
    assert.ok(await focusedIs(page, 'button[aria-label="Reply"]')(), 'the focus returned to Reply');

    // Move to folder: the keyboard's way to do what dragging a message does. A menu button, not a
    // <select>: on a closed select an arrow key or a letter already moved the message.
    await tabUntil(page, 'Move to folder', focusedIs(page, 'button[aria-label="Move to folder"]'));
    const moveButton = page.getByRole('button', { name: 'Move to folder' });
    assert.equal(await moveButton.getAttribute('aria-haspopup'), 'menu');
    await page.keyboard.press('Enter');
    const moveMenu = page.getByRole('menu', { name: 'Move to folder' });
    await moveMenu.waitFor();
    assert.equal(await moveButton.getAttribute('aria-expanded'), 'true');
    const focusedItem = () =>
      page.evaluate(() =>
        document.activeElement?.getAttribute('role') === 'menuitem'
          ? document.activeElement.textContent
          : `not a menu item: ${document.activeElement?.tagName}`,
      );
    const items = await moveMenu.getByRole('menuitem').allInnerTexts();
    assert.ok(items.includes('Archive') && !items.includes('Inbox'), `the folders but Inbox: ${items}`);
    assert.equal(await focusedItem(), items[0], 'the menu opens on its first folder');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focusedItem(), items[1], 'ArrowDown moves to the next folder');
    // ...and nothing else: the message is still open and still in the list
    assert.equal((await pane.getByRole('heading').first().innerText()).trim(), subject);
    assert.equal(await page.getByTestId('message-row').filter({ hasText: subject }).count(), 1);
    // a folder's first letter goes to it (and is no shortcut there: "a" would be Reply all)
    await page.keyboard.press('A');
    assert.equal(await focusedItem(), 'Archive');
    assert.equal(await page.getByTestId('compose').count(), 0, 'the letter opened no reply');
    await page.keyboard.press('Enter');
    await page
      .getByTestId('notice')
      .filter({ hasText: /Archive/ })
      .waitFor();
    await moveMenu.waitFor({ state: 'detached' });

    // a dialog opened from the keyboard closes with Escape and gives the focus back
    await page.getByTestId('message-list').focus();
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: /Keyboard shortcuts/ }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.ok(await focusedIs(page, '[data-testid=message-list]')(), 'focus returned to the list');
  },
);

// ---- the table for the issue note ------------------------------------------------------------

function printAuditTable(): void {
  if (!existsSync(auditsFile)) return;
  const rows = readFileSync(auditsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(auditsBefore)
    .map((line) => JSON.parse(line) as AxeSummary);
  const impacts = ['critical', 'serious', 'moderate', 'minor'];
  const lines = [
    '| screen | mode | critical | serious | moderate | minor | rules passed |',
    '| --- | --- | --: | --: | --: | --: | --: |',
  ];
  for (const row of rows) {
    const match = /^(.*) \[(\w+)\]$/.exec(row.screen);
    const [screen, mode] = match ? [match[1], match[2]] : [row.screen, 'light'];
    const counts = impacts.map((impact) => row.impacts[impact] ?? 0).join(' | ');
    lines.push(`| ${screen} | ${mode} | ${counts} | ${row.passes} |`);
  }
  const moderate = rows.flatMap((row) =>
    row.violations
      .filter((v) => v.impact === 'moderate' || v.impact === 'minor')
      .map((v) => `${row.screen}: ${v.impact} ${v.id} ${v.target}`),
  );
  console.log(`\n[e2e/web] axe-core results (${rows.length} audits in this run):\n${lines.join('\n')}`);
  if (moderate.length) console.log(`[e2e/web] moderate and minor findings:\n${moderate.join('\n')}`);
}
