import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandParser } from '../src/parser/command-parser.js';
import { decodeSaslResponse } from '../src/parser/session-commands.js';
import type { ParserEvent } from '../src/parser/types.js';
import { drain } from './parser-helpers.js';

const PIPELINE =
  'a1 LOGIN {4}\r\nuser {6+}\r\nsecret\r\n' +
  'a2 APPEND INBOX (\\Seen) ~{5}\r\nab\0\r\n\r\n' +
  'a3 UID FETCH 1:* (BODY.PEEK[HEADER.FIELDS (FROM)]<0.10>)\r\n' +
  'a4 SEARCH SUBJECT {3}\r\nfoo UNSEEN\r\n';

test('every chunking of a pipeline, down to single bytes, gives the same events', () => {
  const whole = drain(feedAll(new CommandParser(), [Buffer.from(PIPELINE, 'latin1')]));
  assert.deepEqual(
    whole.map((event) => event.type),
    ['continuation', 'command', 'continuation', 'command', 'command', 'continuation', 'command'],
  );
  for (const size of [1, 2, 3, 5, 7, 13, 64]) {
    const parser = new CommandParser();
    const events: ParserEvent[] = [];
    const bytes = Buffer.from(PIPELINE, 'latin1');
    for (let offset = 0; offset < bytes.length; offset += size) {
      parser.push(bytes.subarray(offset, offset + size));
      events.push(...drain(parser));
    }
    assert.deepEqual(events, whole, `chunk size ${size}`);
  }
  const append = whole[3];
  assert.ok(append?.type === 'command' && append.command.name === 'APPEND');
  assert.deepEqual(append.command.messages[0]?.content, Buffer.from('ab\0\r\n', 'latin1'));
  assert.equal(append.command.messages[0]?.binary, true);
});

function feedAll(parser: CommandParser, chunks: Buffer[]): CommandParser {
  for (const chunk of chunks) parser.push(chunk);
  return parser;
}

test('a synchronising literal asks for a continuation before its bytes are read', () => {
  const parser = new CommandParser();
  parser.push(Buffer.from('A003 APPEND saved-messages (\\Seen) {310}\r\n'));
  assert.deepEqual(parser.read(), {
    type: 'continuation',
    request: { tag: 'A003', commandName: 'APPEND', size: 310, binary: false },
  });
  assert.equal(parser.awaitingLiteralDecision, true);
  assert.equal(parser.read(), null, 'nothing more until the session decides');
  parser.acceptLiteral();
  parser.push(Buffer.alloc(310, 'x'));
  assert.equal(parser.read(), null, 'the command is not complete before its final CRLF');
  parser.push(Buffer.from('\r\n'));
  const event = parser.read();
  assert.ok(event?.type === 'command' && event.command.name === 'APPEND');
  assert.equal(event.command.messages[0]?.content.length, 310);
});

test('a refused synchronising literal drops the command and reading resumes at the next line', () => {
  const parser = new CommandParser();
  parser.push(Buffer.from('a1 APPEND INBOX {5000}\r\n'));
  assert.equal(parser.read()?.type, 'continuation');
  parser.rejectLiteral();
  parser.push(Buffer.from('a2 NOOP\r\n'));
  assert.deepEqual(parser.read(), { type: 'command', command: { tag: 'a2', uid: false, name: 'NOOP' } });
});

test('a synchronising literal above maxLiteralSize is refused without a continuation (NO [TOOBIG])', () => {
  const parser = new CommandParser({ limits: { maxLiteralSize: 100 } });
  parser.push(Buffer.from('a1 APPEND INBOX {101}\r\na2 NOOP\r\n'));
  assert.deepEqual(parser.read(), {
    type: 'error',
    error: {
      kind: 'literal-too-large',
      tag: 'a1',
      commandName: 'APPEND',
      message: 'literal too large (at most 100 bytes)',
      fatal: false,
    },
  });
  assert.equal(parser.read()?.type, 'command');
});

test('a non-synchronising literal above the limit is skipped without buffering, then parsing goes on', () => {
  const parser = new CommandParser({ limits: { maxLiteralSize: 100, maxBufferedBytes: 1000 } });
  parser.push(Buffer.from('a1 APPEND INBOX {100000+}\r\n'));
  const event = parser.read();
  assert.ok(event?.type === 'error');
  assert.equal(event.error.kind, 'literal-too-large');
  assert.equal(event.error.tag, 'a1');
  for (let sent = 0; sent < 100000; sent += 500) {
    parser.push(Buffer.alloc(500, '\n'));
    assert.equal(parser.read(), null);
    assert.ok(parser.bufferedBytes <= 500);
  }
  parser.push(Buffer.from(' rest of the command\r\na2 NOOP\r\n'));
  assert.deepEqual(parser.read(), { type: 'command', command: { tag: 'a2', uid: false, name: 'NOOP' } });
});

test('MULTIAPPEND literals together are limited by maxCommandLiteralBytes', () => {
  const parser = new CommandParser({ limits: { maxCommandLiteralBytes: 10 } });
  parser.push(Buffer.from('a1 APPEND INBOX {6+}\r\n123456 {6+}\r\n123456\r\na2 NOOP\r\n'));
  const event = parser.read();
  assert.ok(event?.type === 'error');
  assert.equal(event.error.kind, 'literal-too-large');
  assert.equal(parser.read()?.type, 'command');
});

test('a line longer than maxLineLength is a tagged error and the rest of it is skipped', () => {
  const parser = new CommandParser({ limits: { maxLineLength: 50 } });
  parser.push(Buffer.from(`a1 LOGIN ${'x'.repeat(30)}`));
  assert.equal(parser.read(), null, 'still within the limit');
  parser.push(Buffer.from('y'.repeat(30)));
  const event = parser.read();
  assert.ok(event?.type === 'error');
  assert.deepEqual(
    [event.error.kind, event.error.tag, event.error.commandName],
    ['line-too-long', 'a1', 'LOGIN'],
  );
  for (let index = 0; index < 100; index++) {
    parser.push(Buffer.alloc(1000, 'z'));
    assert.equal(parser.read(), null);
    assert.equal(parser.bufferedBytes, 0);
  }
  parser.push(Buffer.from(' {3+}\r\nabc more\r\na2 NOOP\r\n'));
  assert.deepEqual(parser.read(), { type: 'command', command: { tag: 'a2', uid: false, name: 'NOOP' } });
});

test('the line limit counts every line of a command with literals', () => {
  const parser = new CommandParser({ limits: { maxLineLength: 40 } });
  parser.push(Buffer.from(`a1 LOGIN {1+}\r\nx ${'p'.repeat(40)}\r\na2 NOOP\r\n`));
  const event = parser.read();
  assert.ok(event?.type === 'error');
  assert.equal(event.error.kind, 'line-too-long');
  assert.equal(event.error.tag, 'a1');
  assert.equal(parser.read()?.type, 'command');
});

test('input beyond the buffer limit while the session does not read is a fatal input-overflow', () => {
  const parser = new CommandParser({ limits: { maxBufferedBytes: 1024 } });
  parser.push(Buffer.alloc(1024, 'a'));
  assert.equal(parser.isFull, true);
  for (let index = 0; index < 100; index++) parser.push(Buffer.alloc(1024, 'a'));
  assert.ok(parser.bufferedBytes <= 1024 + 64 * 1024);
  const event = parser.read();
  assert.ok(event?.type === 'error');
  assert.deepEqual([event.error.kind, event.error.fatal], ['input-overflow', true]);
  assert.equal(parser.isClosed, true);
  assert.equal(parser.read(), null);
  assert.equal(parser.bufferedBytes, 0);
});

test('a non-synchronising literal whose size cannot be read is fatal (the stream cannot be resynchronised)', () => {
  const parser = new CommandParser();
  parser.push(Buffer.from('a1 APPEND INBOX {99999999999+}\r\n'));
  const event = parser.read();
  assert.ok(event?.type === 'error');
  assert.deepEqual([event.error.kind, event.error.fatal, event.error.tag], ['unrecoverable', true, 'a1']);
});

test('a literal marker inside a quoted string is not a literal', () => {
  const parser = new CommandParser();
  parser.push(Buffer.from('a1 LOGIN "x {3}"\r\na2 NOOP\r\n'));
  const events = drain(parser);
  assert.deepEqual(
    events.map((event) => event.type),
    ['error', 'command'],
  );
});

test('raw-line mode reads AUTHENTICATE responses and IDLE DONE', () => {
  const parser = new CommandParser();
  parser.push(Buffer.from('a1 AUTHENTICATE PLAIN\r\nAHRlc3QAdGVzdA=='));
  const event = parser.read();
  assert.ok(event?.type === 'command' && event.command.name === 'AUTHENTICATE');
  assert.equal(parser.readLine(), null, 'the line is not complete yet');
  parser.push(Buffer.from('\r\na2 IDLE\r\n'));
  const line = parser.readLine();
  assert.deepEqual(line, { type: 'line', line: 'AHRlc3QAdGVzdA==' });
  assert.deepEqual(decodeSaslResponse(line.type === 'line' ? line.line : ''), Buffer.from('\0test\0test'));
  assert.equal(
    decodeSaslResponse('*'),
    null,
    'the cancel line is not base64: the session checks for "*" first',
  );
  assert.equal(parser.read()?.type, 'command');
  parser.push(Buffer.from('DONE\r\na3 NOOP\r\n'));
  assert.deepEqual(parser.readLine(), { type: 'line', line: 'DONE' });
  assert.deepEqual(parser.read(), { type: 'command', command: { tag: 'a3', uid: false, name: 'NOOP' } });
});

test('a raw line over the limit is an error and is skipped to its end', () => {
  const parser = new CommandParser({ limits: { maxLineLength: 20 } });
  parser.push(Buffer.from('x'.repeat(30)));
  const event = parser.readLine();
  assert.ok(event?.type === 'error');
  assert.equal(event.error.kind, 'line-too-long');
  parser.push(Buffer.from('x {3+}\r\nDONE\r\n'));
  assert.deepEqual(
    parser.readLine(),
    { type: 'line', line: 'DONE' },
    'a marker on a raw line is not a literal',
  );
});

test('UTF8=ACCEPT can be switched on between commands', () => {
  const parser = new CommandParser();
  parser.push(Buffer.from('a1 SELECT &ZeVnLIqe-\r\na2 SELECT &ZeVnLIqe-\r\n'));
  const first = parser.read();
  parser.setUtf8Accept(true);
  const second = parser.read();
  assert.ok(first?.type === 'command' && first.command.name === 'SELECT');
  assert.ok(second?.type === 'command' && second.command.name === 'SELECT');
  assert.equal(first.command.mailbox, '\u65e5\u672c\u8a9e');
  assert.equal(second.command.mailbox, '&ZeVnLIqe-');
});

test('bare LF line ends are accepted', () => {
  const parser = new CommandParser();
  parser.push(Buffer.from('a1 LOGIN {1}\nx y\na2 NOOP\n'));
  assert.deepEqual(
    drain(parser).map((event) => event.type),
    ['continuation', 'command', 'command'],
  );
});
