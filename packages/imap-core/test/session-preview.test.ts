// PREVIEW (RFC 8970): FETCH PREVIEW and PREVIEW (LAZY) return the message's preview text (the
// backend's snippet: the text the webmail list shows) as one line of at most 256 characters; the
// parser tells the (LAZY) modifier apart from the FETCH modifiers; PREVIEW is advertised.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseError, parseOne } from './parser-helpers.js';
import { previewText } from '../src/preview.js';
import { ALICE, startTestServer } from './support/test-server.js';

test('the parser reads PREVIEW, PREVIEW (LAZY) and keeps FETCH modifiers apart', () => {
  const cases: [string, { item: string; lazy?: boolean }[], number | null][] = [
    ['a FETCH 1 PREVIEW', [{ item: 'PREVIEW', lazy: false }], null],
    ['a FETCH 1 (PREVIEW)', [{ item: 'PREVIEW', lazy: false }], null],
    ['a FETCH 1 PREVIEW (LAZY)', [{ item: 'PREVIEW', lazy: true }], null],
    [
      'a FETCH 1 (FLAGS preview (lazy) UID)',
      [{ item: 'FLAGS' }, { item: 'PREVIEW', lazy: true }, { item: 'UID' }],
      null,
    ],
    ['a FETCH 1 PREVIEW (CHANGEDSINCE 5)', [{ item: 'PREVIEW', lazy: false }], 5],
    ['a FETCH 1 (PREVIEW (LAZY)) (CHANGEDSINCE 7)', [{ item: 'PREVIEW', lazy: true }], 7],
  ];
  for (const [line, items, changedSince] of cases) {
    const command = parseOne(line);
    assert.ok(command.name === 'FETCH', line);
    assert.deepEqual(command.items, items, line);
    assert.equal(command.changedSince, changedSince, line);
  }
  for (const line of ['a FETCH 1 (PREVIEW (FUZZY))', 'a FETCH 1 (PREVIEW ())', 'a FETCH 1 PREVIEW[]'])
    assert.ok(parseError(line), line);
});

test('preview text is one line of at most 256 characters', () => {
  assert.equal(previewText('  Hello,\n\nworld\t again  '), 'Hello, world again');
  assert.equal(previewText(''), '');
  const long = 'é'.repeat(300);
  assert.equal([...previewText(long)].length, 256);
  // a surrogate pair is never cut in half
  assert.equal([...previewText('😀'.repeat(300))].length, 256);
});

test('FETCH PREVIEW and PREVIEW (LAZY) return the preview text; CAPABILITY lists PREVIEW', async () => {
  const server = await startTestServer();
  try {
    const raw =
      'From: a@example.com\r\nSubject: preview\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n' +
      'Hello Bob,\r\n\r\nthe "report" is ready.\r\n';
    await server.backend.deliver(ALICE.username, 'INBOX', Buffer.from(raw));
    await server.backend.deliver(
      ALICE.username,
      'INBOX',
      Buffer.from('From: a@example.com\r\nContent-Type: image/png\r\n\r\nxyz\r\n'),
    );
    const client = await server.login();
    const capability = await client.command('c0', 'CAPABILITY');
    assert.match(capability.untagged.join('\n'), /^\* CAPABILITY .* PREVIEW( |$)/m);
    await client.command('c1', 'SELECT INBOX');
    const plain = await client.command('c2', 'FETCH 1:2 (PREVIEW)');
    assert.deepEqual(plain.untagged, [
      '* 1 FETCH (PREVIEW "Hello Bob, the \\"report\\" is ready.")',
      '* 2 FETCH (PREVIEW "")',
    ]);
    const lazy = await client.command('c3', 'UID FETCH 1 (PREVIEW (LAZY))');
    assert.deepEqual(lazy.untagged, ['* 1 FETCH (UID 1 PREVIEW "Hello Bob, the \\"report\\" is ready.")']);
    const bad = await client.command('c4', 'FETCH 1 (PREVIEW (FUZZY))');
    assert.match(bad.tagged, /^c4 BAD /);
    const still = await client.command('c5', 'NOOP');
    assert.match(still.tagged, /^c5 OK/);
  } finally {
    await server.close();
  }
});
