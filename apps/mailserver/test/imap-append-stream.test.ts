// Streamed APPEND on the real store: a 20 MB message through imapflow is stored byte for byte
// while the server holds far less than the message in memory; MULTIAPPEND stays all or nothing
// when a later message is refused after an earlier one was streamed into the store; an empty
// message answers NO.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { startImap, type ImapHarness } from './harness.js';
import { RawImapClient } from './raw-client.js';

let imap: ImapHarness;
before(async () => {
  imap = await startImap('imapappendstream');
  await imap.createUser('big@example.com');
});
after(async () => {
  await imap.close();
});

function client(): ImapFlow {
  return new ImapFlow({
    host: '127.0.0.1',
    port: imap.port,
    secure: false,
    auth: { user: 'big@example.com', pass: 'secretpass' },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test(
  'a 20 MB APPEND through imapflow streams into the store and reads back byte for byte',
  { timeout: 120_000 },
  async () => {
    const lines: string[] = [];
    for (let index = 0; lines.length * 77 < 20 * 1024 * 1024; index++)
      lines.push(`${String(index).padStart(10, '0')} ${'abcdefghij'.repeat(6)}zzzz`);
    const message = Buffer.from(
      `From: a@example.org\r\nTo: big@example.com\r\nSubject: twenty megabytes\r\n\r\n${lines.join('\r\n')}\r\n`,
    );
    assert.ok(message.length > 20 * 1024 * 1024);
    const flow = client();
    await flow.connect();
    try {
      global.gc?.();
      const before = process.memoryUsage().arrayBuffers;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 5);
      const appended = await flow.append('INBOX', message);
      clearInterval(sampler);
      assert.ok(appended && appended.uid);
      // client and server share this process: the client holds the message once (plus its copies
      // on the wire, about 1.4 times it); a server buffering the literal would add it twice more
      const growth = peak - before;
      assert.ok(growth < 2 * message.length, `array buffers grew by ${growth} bytes`);
      // read back in one FETCH (imapflow's download asks for 64 KiB ranges one by one: slow)
      const raw = await RawImapClient.open(imap.port);
      await raw.command('LOGIN big@example.com secretpass');
      await raw.command('SELECT INBOX');
      const back = await raw.fetchLiteral(`UID FETCH ${appended.uid} BODY.PEEK[]`);
      raw.close();
      assert.equal(back.length, message.length);
      assert.equal(sha256(back), sha256(message));
    } finally {
      await flow.logout();
    }
  },
);

test(
  'MULTIAPPEND on the store: a refused later message leaves nothing; an empty message answers NO',
  { timeout: 60_000 },
  async () => {
    const raw = await RawImapClient.open(imap.port);
    try {
      assert.match(await raw.command('LOGIN big@example.com secretpass'), /OK/);
      assert.match(await raw.command('CREATE Multi'), /OK/);
      const first = 'Subject: first\r\n\r\nfirst body\r\n';
      // the first message is stored while it arrives; the second has bad syntax: BAD, none kept
      const refused = await raw.command(
        `APPEND Multi {${first.length}+}\r\n${first} (\\Seen) "not a date" {3+}\r\nabc`,
      );
      assert.match(refused, /^T\d+ BAD /m);
      assert.match(await raw.command('STATUS Multi (MESSAGES)'), /\* STATUS "?Multi"? \(MESSAGES 0\)/);
      assert.match(await raw.command('APPEND Multi {0+}\r\n'), /^T\d+ NO /m);
      assert.match(await raw.command('STATUS Multi (MESSAGES)'), /\* STATUS "?Multi"? \(MESSAGES 0\)/);
      const second = 'Subject: second\r\n\r\nsecond body\r\n';
      assert.match(
        await raw.command(
          `APPEND Multi {${first.length}+}\r\n${first} (\\Flagged) {${second.length}+}\r\n${second}`,
        ),
        /^T\d+ OK \[APPENDUID \d+ \d+:\d+\]/m,
      );
      assert.match(await raw.command('STATUS Multi (MESSAGES)'), /\* STATUS "?Multi"? \(MESSAGES 2\)/);
    } finally {
      raw.close();
    }
  },
);
