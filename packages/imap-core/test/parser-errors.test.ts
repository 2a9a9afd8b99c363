import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAll, parseError } from './parser-helpers.js';

const MALFORMED_TAGGED: [line: string, kind: string][] = [
  ['a1 FOO', 'unknown-command'],
  ['a1 UID NOOP', 'syntax'],
  ['a1 NOOP extra', 'syntax'],
  ['a1 LOGIN onlyuser', 'syntax'],
  ['a1 LOGIN "unterminated', 'syntax'],
  ['a1 LOGIN "bad \\escape" x', 'syntax'],
  ['a1 LOGIN  two-spaces x', 'syntax'],
  ['a1 SELECT', 'syntax'],
  ['a1 SELECT INBOX (FOO)', 'syntax'],
  ['a1 SELECT INBOX (QRESYNC (0 1))', 'syntax'],
  ['a1 SELECT &Jjo', 'invalid-mailbox-name'],
  ['a1 FETCH 0 FLAGS', 'syntax'],
  ['a1 FETCH 01 FLAGS', 'syntax'],
  ['a1 FETCH 4294967296 FLAGS', 'syntax'],
  ['a1 FETCH 1: FLAGS', 'syntax'],
  ['a1 FETCH 1 (FLAGS', 'syntax'],
  ['a1 FETCH 1 ()', 'syntax'],
  ['a1 FETCH 1 BOGUS', 'syntax'],
  ['a1 FETCH 1 BODY[MIME]', 'syntax'],
  ['a1 FETCH 1 BODY[1.]', 'syntax'],
  ['a1 FETCH 1 BODY[HEADER.FIELDS]', 'syntax'],
  ['a1 FETCH 1 BODY[]<0.0>', 'syntax'],
  ['a1 FETCH 1 BODY[]<1>', 'syntax'],
  ['a1 FETCH 1 FLAGS (VANISHED)', 'syntax'],
  ['a1 UID FETCH 1 FLAGS (VANISHED)', 'syntax'],
  ['a1 FETCH 1 FLAGS (CHANGEDSINCE 0)', 'syntax'],
  ['a1 FETCH 1 FLAGS (CHANGEDSINCE 9223372036854775808)', 'syntax'],
  ['a1 STORE 1 FLAGS \\Recent', 'syntax'],
  ['a1 STORE 1 +FLAG (\\Seen)', 'syntax'],
  ['a1 STORE 1 +FLAGS (\\Seen', 'syntax'],
  ['a1 SEARCH', 'syntax'],
  ['a1 SEARCH FOO', 'syntax'],
  ['a1 SEARCH OR SEEN', 'syntax'],
  ['a1 SEARCH SINCE 31-Feb-2020', 'syntax'],
  ['a1 SEARCH SINCE 1-Foo-2020', 'syntax'],
  ['a1 SEARCH LARGER -1', 'syntax'],
  ['a1 SEARCH ()', 'syntax'],
  ['a1 SEARCH RETURN (FOO) ALL', 'syntax'],
  ['a1 SEARCH 1,$', 'syntax'],
  ['a1 APPEND INBOX', 'syntax'],
  ['a1 APPEND INBOX "1-Jan-2020" {1+}\r\nx', 'syntax'],
  ['a1 APPEND INBOX "31-Apr-2020 00:00:00 +0000" {1+}\r\nx', 'syntax'],
  ['a1 LIST (RECURSIVEMATCH) "" *', 'syntax'],
  ['a1 LIST (FOO) "" *', 'syntax'],
  ['a1 LIST "" * RETURN (FOO)', 'syntax'],
  ['a1 STATUS INBOX (FOO)', 'syntax'],
  ['a1 STATUS INBOX ()', 'syntax'],
  ['a1 AUTHENTICATE PLAIN !!!', 'syntax'],
  ['a1 ENABLE', 'syntax'],
  ['a1 ID ("a")', 'syntax'],
  ['a1 LOGIN ~{1+}\r\nx y', 'syntax'],
  ['a1 LOGIN {1+}x y', 'syntax'],
  ['a1 LOGIN {99999999999}', 'syntax'],
];

for (const [line, kind] of MALFORMED_TAGGED) {
  test(`malformed ${JSON.stringify(line)} yields a tagged ${kind} error`, () => {
    const error = parseError(line);
    assert.equal(error.tag, 'a1');
    assert.equal(error.kind, kind);
    assert.equal(error.fatal, false);
    assert.ok(error.message.length > 0);
  });
}

test('a line without a readable tag yields an untagged error', () => {
  for (const line of ['', ' NOOP', '* NOOP', '+tag NOOP', 'a\x01 NOOP', 'NOOP', '(a) NOOP', 'a"b NOOP']) {
    if (line === '') continue;
    const error = parseError(line);
    assert.equal(error.tag, null, line);
    assert.equal(error.kind, 'syntax');
  }
});

test('blank lines between commands are ignored', () => {
  const events = parseAll('\r\n\r\na NOOP\r\n');
  assert.equal(events.length, 1);
  assert.equal(events[0]?.type, 'command');
});

test('parsing goes on with the next line after every malformed line', () => {
  const input = MALFORMED_TAGGED.map(([line]) => `${line}\r\nok NOOP\r\n`).join('');
  const events = parseAll(input);
  assert.equal(events.filter((event) => event.type === 'error').length, MALFORMED_TAGGED.length);
  assert.equal(events.filter((event) => event.type === 'command').length, MALFORMED_TAGGED.length);
});

test('nesting deeper than the limit is a nesting-too-deep error', () => {
  const error = parseError(`a1 SEARCH ${'('.repeat(40)}SEEN${')'.repeat(40)}`);
  assert.equal(error.kind, 'nesting-too-deep');
  assert.equal(error.tag, 'a1');
  const notChain = parseError(`a1 SEARCH ${'NOT '.repeat(40)}SEEN`);
  assert.equal(notChain.kind, 'nesting-too-deep');
  assert.equal(
    parseAll(`a1 SEARCH ${'('.repeat(5)}SEEN${')'.repeat(5)}\r\n`, { limits: { maxNestingDepth: 5 } })[0]
      ?.type,
    'command',
  );
});
