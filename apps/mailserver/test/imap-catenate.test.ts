// CATENATE (RFC 4469) on the real store: a new message composed of TEXT and parts of a stored
// message (one of them kept in GridFS) is stored byte for byte; a bad URL answers NO [BADURL].
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startImap, type ImapHarness } from './harness.js';
import { RawImapClient } from './raw-client.js';

let imap: ImapHarness;
before(async () => {
  imap = await startImap('imapcatenate');
  await imap.createUser('cat@example.com');
});
after(async () => {
  await imap.close();
});

// 200 KiB of base64: past the 128 KiB threshold, so this body lives in GridFS
const attachment = (
  randomBytes(150 * 1024)
    .toString('base64')
    .match(/.{1,76}/g) ?? []
).join('\r\n');
const ORIGINAL = [
  'From: a@example.org',
  'Subject: original',
  'Content-Type: multipart/mixed; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain',
  '',
  'first part',
  '--b1',
  'Content-Type: application/octet-stream',
  'Content-Transfer-Encoding: base64',
  '',
  attachment,
  '--b1--',
  '',
].join('\r\n');

test(
  'APPEND CATENATE composes a message from TEXT and URL parts of a stored message',
  { timeout: 60_000 },
  async () => {
    const raw = await RawImapClient.open(imap.port);
    try {
      assert.match(await raw.command('LOGIN cat@example.com secretpass'), /OK/);
      assert.match(await raw.command('CAPABILITY'), /^\* CAPABILITY .* CATENATE( |\r)/m);
      raw.write(`A1 APPEND INBOX {${ORIGINAL.length}+}\r\n${ORIGINAL}\r\n`);
      const appended = await raw.waitFor(/^A1 OK/m);
      const uidValidity = /APPENDUID (\d+) 1/.exec(appended)?.[1];
      assert.ok(uidValidity, appended);
      const head = 'Subject: forward\r\nContent-Type: multipart/mixed; boundary="n"\r\n\r\n--n\r\n';
      const tail = '\r\n--n--\r\n';
      const url = (section: string) => `URL "/INBOX;UIDVALIDITY=${uidValidity}/;UID=1/;SECTION=${section}"`;
      const response = await raw.command(
        `APPEND Drafts CATENATE (TEXT {${head.length}+}\r\n${head} ${url('2.MIME')} ${url('2')} TEXT {${tail.length}+}\r\n${tail})`,
      );
      assert.match(response, /^T\d+ OK \[APPENDUID \d+ 1\]/m);
      assert.match(await raw.command('SELECT Drafts'), /OK/);
      const composed = await raw.fetchLiteral('UID FETCH 1 BODY.PEEK[]');
      const expected =
        head +
        'Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n' +
        attachment +
        tail;
      assert.equal(composed.toString('latin1'), expected);
      const badUrl = `/INBOX;UIDVALIDITY=${Number(uidValidity) + 1}/;UID=1`;
      assert.match(
        await raw.command(`APPEND Drafts CATENATE (URL "${badUrl}")`),
        new RegExp(`^T\\d+ NO \\[BADURL ${badUrl.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\]`, 'm'),
      );
      assert.match(await raw.command('STATUS Drafts (MESSAGES)'), /MESSAGES 1\)/);
    } finally {
      raw.close();
    }
  },
);
