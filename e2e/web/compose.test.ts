/**
 * Rich compose in a real browser (Debian's Chromium, headless) against real processes (issue 18):
 * identities with signatures made in Settings, formatting with the toolbar and the shortcuts, a
 * pasted picture sent as a cid: part, an address suggested from those written to before, the
 * received message read over IMAP; a reply quoting the HTML original as HTML (with its picture),
 * and a forward. Screenshots 55-59 go to e2e/artifacts/web/.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { deflateSync } from 'node:zlib';
import { ImapFlow, type MessageStructureObject } from 'imapflow';
import type { Locator, Page } from 'playwright-core';
import { auditAccessibility } from './axe.js';
import { BrowserScenarios, screenshot, signIn } from './browser.js';
import { startWebStack, type WebStack } from './stack.js';

const ANN = 'ann@compose.test';
const BEN = 'ben@compose.test';
const CAT = 'cat@compose.test';
const PASSWORD = 'compose-password-1';

/** A 48×48 PNG: a blue square with an orange band, made here so the test needs no file. */
const PNG = makePng(48, 48, (x, y) => (y > 18 && y < 30 ? [249, 115, 22] : [37, 99, 235]));

function makePng(width: number, height: number, colour: (x: number, y: number) => number[]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(0);
    for (let x = 0; x < width; x++) rows.push(...colour(x, y));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let stack: WebStack;
const browser = new BrowserScenarios('failed-compose-', () => stack?.output() ?? '');
const { scenario } = browser;
let ann: Page;
let ben: Page;

before(
  async () => {
    stack = await startWebStack('compose');
    for (const address of [ANN, BEN, CAT]) await stack.createUser(address, PASSWORD);
    await browser.launch();
  },
  { timeout: 600_000 },
);

after(async () => {
  await browser.close();
  await stack?.stop();
});

const newPage = (viewport = { width: 1280, height: 900 }) => browser.newPage(viewport);

function row(page: Page, subject: string) {
  return page.getByTestId('message-row').filter({ hasText: subject });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function leaves(node: MessageStructureObject): MessageStructureObject[] {
  return node.childNodes?.length ? node.childNodes.flatMap(leaves) : [node];
}

/** The newest message in the user's INBOX with this subject, over IMAP: structure, envelope, parts. */
async function received(address: string, subject: string) {
  const client = new ImapFlow({
    host: stack.mail.host,
    port: stack.mail.imapPort,
    secure: false,
    auth: { user: address, pass: PASSWORD },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  await client.connect();
  try {
    const lock = await client.getMailboxLock('INBOX');
    try {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const uids = (await client.search({ subject }, { uid: true })) || [];
        const uid = uids[uids.length - 1];
        if (uid) {
          const message = await client.fetchOne(
            String(uid),
            { bodyStructure: true, envelope: true },
            { uid: true },
          );
          assert.ok(message);
          const parts = new Map<string, Buffer>();
          for (const leaf of leaves(message.bodyStructure!)) {
            const { content } = await client.download(String(uid), leaf.part ?? '1', { uid: true });
            parts.set(leaf.part ?? '1', content ? await readAll(content) : Buffer.alloc(0));
          }
          return { structure: message.bodyStructure!, envelope: message.envelope!, parts };
        }
        if (Date.now() > deadline) throw new Error(`no message "${subject}" reached ${address}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => undefined);
  }
}

/** The parts a rich message must have: text, HTML and one picture related to it. */
function richParts(message: Awaited<ReturnType<typeof received>>) {
  const all = leaves(message.structure);
  const text = all.find((leaf) => leaf.type === 'text/plain');
  const html = all.find((leaf) => leaf.type === 'text/html');
  const image = all.find((leaf) => leaf.type === 'image/png');
  assert.ok(text && html && image, JSON.stringify(message.structure));
  return {
    text: message.parts.get(text.part!)!.toString('utf8').replace(/\r\n/g, '\n'),
    html: message.parts.get(html.part!)!.toString('utf8'),
    image,
    imageBytes: message.parts.get(image.part!)!,
  };
}

async function openCompose(page: Page): Promise<Locator> {
  await page.keyboard.press('c');
  const compose = page.getByTestId('compose');
  await compose.waitFor();
  return compose;
}

async function sendAndWait(page: Page, compose: Locator): Promise<void> {
  await compose.getByRole('button', { name: 'Send' }).click();
  await page.getByTestId('notice').filter({ hasText: 'Message sent.' }).waitFor();
}

scenario('identities with signatures are made and edited in Settings', 120_000, async () => {
  ann = await newPage();
  await signIn(ann, stack.webUrl, ANN, PASSWORD, '/settings');
  await ann.goto(`${stack.webUrl}/settings?section=identities`);
  await ann.getByRole('heading', { name: 'Identities', level: 2 }).waitFor();
  const rows = ann.getByTestId('identity-row');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().innerText(), /Default/);

  await ann.getByRole('button', { name: `Edit ${ANN}` }).click();
  const form = ann.getByTestId('identity-form');
  await form.getByLabel('Name').fill('Ann Example');
  const signature = form.getByRole('textbox', { name: 'Signature' });
  await signature.click();
  await ann.keyboard.press('Control+b');
  await ann.keyboard.type('Ann');
  await ann.keyboard.press('Control+b');
  await ann.keyboard.type(' from the compose test');
  await form.getByRole('button', { name: 'Save identity' }).click();
  await ann.getByTestId('settings-notice').filter({ hasText: 'Identity “Ann Example” saved.' }).waitFor();
  await rows.filter({ hasText: 'Ann from the compose test' }).locator('b', { hasText: 'Ann' }).waitFor();

  // an address that is not hers is refused beside the field
  await ann.getByRole('button', { name: 'New identity' }).click();
  await form.getByLabel('Name').fill('Ann at Work');
  await form.getByLabel('Address').fill('boss@compose.test');
  await form.getByRole('button', { name: 'Save identity' }).click();
  await form.getByText('You can send only as your own address').waitFor();
  await form.getByLabel('Address').fill(ANN);
  await form.getByRole('textbox', { name: 'Signature' }).fill('Work Ann, on duty');
  await form.getByRole('button', { name: 'Save identity' }).click();
  await ann.getByTestId('settings-notice').filter({ hasText: 'Identity “Ann at Work” saved.' }).waitFor();
  await rows.filter({ hasText: 'Work Ann, on duty' }).waitFor();
  assert.equal(await rows.count(), 2);

  // a third one, deleted again
  await ann.getByRole('button', { name: 'New identity' }).click();
  await form.getByLabel('Name').fill('Ann Temporary');
  await form.getByRole('button', { name: 'Save identity' }).click();
  await rows.filter({ hasText: 'Ann Temporary' }).waitFor();
  await ann.getByRole('button', { name: 'Delete Ann Temporary' }).click();
  await ann.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await ann.getByTestId('settings-notice').filter({ hasText: 'deleted' }).waitFor();
  await rows.filter({ hasText: 'Ann Temporary' }).waitFor({ state: 'detached' });
  assert.equal(await rows.count(), 2);

  await auditAccessibility(ann, 'settings-identities');
  await screenshot(ann, '58-settings-identities');
});

scenario('a first message to Ben, so that his address is suggested later', 60_000, async () => {
  await ann.goto(`${stack.webUrl}/mail`);
  const compose = await openCompose(ann);
  await compose.getByLabel('To').fill(`Ben Brown <${BEN}>`);
  await compose.getByLabel('Subject').fill('First contact');
  await compose.getByLabel('Message').fill('Hello Ben.');
  await sendAndWait(ann, compose);
  const first = await received(BEN, 'First contact');
  assert.deepEqual(first.envelope.from, [{ name: 'Ann Example', address: ANN }]);
});

scenario(
  'formatting from the toolbar and the keyboard, a pasted picture, a suggested address and a signature',
  120_000,
  async () => {
    const compose = await openCompose(ann);
    const editor = compose.getByRole('textbox', { name: 'Message' });
    // the default identity's signature is there; picking another swaps it
    await editor.filter({ hasText: 'Ann from the compose test' }).waitFor();
    await compose.getByLabel('From').selectOption({ label: `Ann at Work <${ANN}>` });
    await editor.filter({ hasText: 'Work Ann, on duty' }).waitFor();
    assert.ok(!(await editor.innerText()).includes('Ann from the compose test'));

    // the address is suggested from those written to
    const to = compose.getByRole('combobox', { name: 'To' });
    await to.pressSequentially('bro');
    const option = compose.getByRole('option', { name: new RegExp(BEN) });
    await option.waitFor();
    assert.equal(await to.getAttribute('aria-expanded'), 'true');
    assert.equal(await option.getAttribute('aria-selected'), 'true');
    await screenshot(ann, '56-compose-suggestions');
    await to.press('Enter');
    assert.equal(await to.inputValue(), `Ben Brown <${BEN}>, `);
    assert.equal(await to.getAttribute('aria-expanded'), 'false');
    await compose.getByLabel('Subject').fill('Rich from the browser');

    const toolbar = compose.getByRole('toolbar', { name: 'Formatting' });
    const bold = toolbar.getByRole('button', { name: 'Bold' });
    await editor.click();
    await ann.keyboard.press('Control+Home');
    await bold.click();
    assert.equal(await bold.getAttribute('aria-pressed'), 'true');
    await ann.keyboard.type('Bold words');
    await bold.click();
    await ann.keyboard.type(' then ');
    await ann.keyboard.press('Control+i');
    await ann.keyboard.type('italic words');
    assert.equal(await toolbar.getByRole('button', { name: 'Italic' }).getAttribute('aria-pressed'), 'true');
    await ann.keyboard.press('Control+i');
    await ann.keyboard.press('Enter');
    await toolbar.getByRole('button', { name: 'Bulleted list' }).click();
    await ann.keyboard.type('first item');
    await ann.keyboard.press('Enter');
    await ann.keyboard.type('second item');
    assert.equal(
      await toolbar.getByRole('button', { name: 'Bulleted list' }).getAttribute('aria-pressed'),
      'true',
    );
    await ann.keyboard.press('Enter');
    await ann.keyboard.press('Enter');
    await ann.keyboard.type('See ');
    await ann.keyboard.press('Control+k');
    await compose.getByLabel('Link address').fill('example.org/compose');
    await compose.getByLabel('Link address').press('Enter');
    await ann.keyboard.press('Enter');
    await toolbar.getByRole('button', { name: 'Quote' }).click();
    await ann.keyboard.type('A quoted thought');
    assert.equal(await toolbar.getByRole('button', { name: 'Quote' }).getAttribute('aria-pressed'), 'true');
    await ann.keyboard.press('Enter');

    // a picture pasted from the clipboard is shown at once and uploaded
    await editor.evaluate(
      (element, bytes) => {
        const file = new File([new Uint8Array(bytes)], 'pasted.png', { type: 'image/png' });
        const data = new DataTransfer();
        data.items.add(file);
        element.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        );
      },
      [...PNG],
    );
    await editor.locator('img[data-cid]').waitFor();
    assert.match((await editor.locator('img[data-cid]').getAttribute('src')) ?? '', /^blob:/);
    await compose.getByTestId('pictures-uploading').waitFor({ state: 'detached', timeout: 15_000 });
    // pasted HTML is cleaned
    await editor.evaluate((element) => {
      const data = new DataTransfer();
      data.setData('text/html', '<p onclick="alert(1)">Pasted <b>bit</b><script>alert(2)</script></p>');
      element.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    });
    await editor.locator('b', { hasText: 'bit' }).waitFor();
    assert.equal(await editor.locator('script, [onclick]').count(), 0);
    await compose.getByTestId('draft-status').filter({ hasText: 'Draft saved' }).waitFor({ timeout: 15_000 });

    await auditAccessibility(ann, 'compose-rich');
    await screenshot(ann, '55-compose-rich');
    await sendAndWait(ann, compose);

    const message = await received(BEN, 'Rich from the browser');
    assert.deepEqual(message.envelope.from, [{ name: 'Ann at Work', address: ANN }]);
    assert.equal(message.structure.type, 'multipart/alternative');
    assert.deepEqual(
      message.structure.childNodes!.map((node) => node.type),
      ['text/plain', 'multipart/related'],
    );
    const { text, html, image, imageBytes } = richParts(message);
    assert.deepEqual(imageBytes, PNG);
    const contentId = image.id!.replace(/^<|>$/g, '');
    assert.ok(html.includes(`src="cid:${contentId}"`), html);
    for (const kept of [
      '<b>Bold words</b>',
      '<i>italic words</i>',
      '<li>first item</li>',
      '<blockquote',
      'A quoted thought',
      'Work Ann, on duty',
      '<b>bit</b>',
    ])
      assert.ok(html.includes(kept), `${kept} in ${html}`);
    assert.match(html, /<ul>/);
    assert.match(html, /<a href="https:\/\/example\.org\/compose"/);
    assert.doesNotMatch(html, /data-cid|blob:|onclick|<script/);
    assert.match(text, /Bold words then italic words/);
    assert.match(text, /^- first item$/m);
    assert.match(text, /^> A quoted thought$/m);
    assert.match(text, /example\.org\/compose/);
  },
);

scenario('a reply quotes the HTML original as HTML, and a forward carries it on', 120_000, async () => {
  ben = await newPage();
  await signIn(ben, stack.webUrl, BEN, PASSWORD, '/mail');
  await row(ben, 'Rich from the browser').click();
  await ben.getByRole('heading', { name: 'Rich from the browser' }).waitFor();
  await ben.keyboard.press('r');
  const compose = ben.getByTestId('compose');
  await compose.waitFor();
  const editor = compose.getByRole('textbox', { name: 'Message' });
  const quoted = editor.locator('blockquote[type=cite]');
  await quoted.locator('b', { hasText: 'Bold words' }).waitFor();
  await quoted.locator('li', { hasText: 'first item' }).waitFor();
  await quoted.locator('img[data-cid]').waitFor();
  await editor.getByText(/^On .+, Ann at Work <ann@compose\.test> wrote:$/).waitFor();
  // the caret starts above the quote
  await ben.keyboard.type('Thanks Ann, noted.');
  await screenshot(ben, '57-compose-reply-html');
  await sendAndWait(ben, compose);

  const reply = await received(ANN, 'Re: Rich from the browser');
  const replyParts = richParts(reply);
  assert.deepEqual(replyParts.imageBytes, PNG);
  assert.match(replyParts.html, /Thanks Ann, noted\.[\s\S]*<blockquote[^>]*>[\s\S]*<b>Bold words<\/b>/);
  assert.ok(replyParts.html.includes(`src="cid:${replyParts.image.id!.replace(/^<|>$/g, '')}"`));
  assert.match(replyParts.text, /^> Bold words then italic words/m);

  await row(ben, 'Rich from the browser').click();
  await ben.getByRole('heading', { name: 'Rich from the browser' }).waitFor();
  await ben.keyboard.press('f');
  const forward = ben.getByTestId('compose');
  await forward.waitFor();
  assert.equal(await forward.getByLabel('Subject').inputValue(), 'Fwd: Rich from the browser');
  await forward
    .getByRole('textbox', { name: 'Message' })
    .filter({ hasText: '---------- Forwarded message ----------' })
    .waitFor();
  await forward.getByLabel('To').fill(CAT);
  await forward.getByTestId('pictures-uploading').waitFor({ state: 'detached', timeout: 15_000 });
  await sendAndWait(ben, forward);
  const forwarded = richParts(await received(CAT, 'Fwd: Rich from the browser'));
  assert.match(forwarded.html, /Forwarded message[\s\S]*<b>Bold words<\/b>/);
  assert.deepEqual(forwarded.imageBytes, PNG);
});

scenario('compose works at phone width', 60_000, async () => {
  const phone = await newPage({ width: 390, height: 844 });
  await signIn(phone, stack.webUrl, ANN, PASSWORD, '/mail');
  await phone.getByTestId('message-list').waitFor();
  const compose = await openCompose(phone);
  await compose.getByRole('toolbar', { name: 'Formatting' }).waitFor();
  const width = await compose.evaluate((element) => element.scrollWidth <= element.clientWidth + 1);
  assert.ok(width, 'compose fits the phone screen without scrolling sideways');
  await compose.getByRole('combobox', { name: 'To' }).pressSequentially('ben');
  await compose.getByRole('option', { name: new RegExp(BEN) }).waitFor();
  await auditAccessibility(phone, 'compose-phone');
  await screenshot(phone, '59-compose-phone');
});
