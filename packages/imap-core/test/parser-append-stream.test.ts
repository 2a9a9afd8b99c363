// The parser's streamed APPEND (option streamAppend): an `append` step at each message literal,
// whose bytes are taken with readLiteralData() as they arrive, a last step at the command's end;
// CATENATE messages come whole; errors keep the tag and leave the parser in step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandParser } from '../src/parser/command-parser.js';
import type { AppendStreamEvent, ParserEvent } from '../src/parser/types.js';
import { createRandom } from './support/seeded-random.js';

function streaming(): CommandParser {
  return new CommandParser({ streamAppend: true });
}

function appendStep(event: ParserEvent | null): AppendStreamEvent {
  assert.equal(event?.type, 'append', JSON.stringify(event));
  return event as AppendStreamEvent;
}

/** Takes every buffered byte of the streamed literal. */
function takeLiteral(parser: CommandParser): string {
  let text = '';
  for (let piece = parser.readLiteralData(); piece; piece = parser.readLiteralData())
    text += piece.toString('latin1');
  return text;
}

test('a message literal is handed out while it arrives, before the command is complete', () => {
  const parser = streaming();
  parser.push(Buffer.from('a1 APPEND INBOX (\\Seen) "01-Jan-2024 10:00:00 +0000" {11+}\r\nhello'));
  const first = appendStep(parser.read());
  assert.equal(first.tag, 'a1');
  assert.equal(first.mailbox, 'INBOX');
  assert.equal(first.first, true);
  assert.equal(first.synchronizing, false);
  assert.deepEqual(first.streamed?.flags, ['\\Seen']);
  assert.equal(first.streamed?.size, 11);
  assert.equal(first.streamed?.internalDate?.toISOString(), '2024-01-01T10:00:00.000Z');
  assert.equal(takeLiteral(parser), 'hello');
  assert.equal(parser.literalRemaining, 6);
  assert.equal(parser.read(), null, 'nothing else while the literal is read');
  parser.push(Buffer.from(' worl'));
  assert.equal(takeLiteral(parser), ' worl');
  parser.push(Buffer.from('d ~{3}\r\n'));
  assert.equal(takeLiteral(parser), 'd');
  assert.equal(parser.literalRemaining, 0);
  // MULTIAPPEND: the next message is a synchronising literal8
  const second = appendStep(parser.read());
  assert.equal(second.first, false);
  assert.equal(second.synchronizing, true);
  assert.equal(second.streamed?.binary, true);
  assert.ok(parser.awaitingLiteralDecision);
  parser.acceptLiteral();
  parser.push(Buffer.from('a\0b\r\na2 NOOP\r\n'));
  assert.equal(takeLiteral(parser), 'a\0b');
  const end = appendStep(parser.read());
  assert.equal(end.streamed, null, 'the command ended');
  const next = parser.read();
  assert.ok(next?.type === 'command' && next.command.name === 'NOOP' && next.command.tag === 'a2');
});

test('UTF8 (literal8) and CATENATE messages; a CATENATE comes whole with the next step', () => {
  const parser = streaming();
  parser.push(
    Buffer.from(
      'c1 APPEND Drafts UTF8 (~{2+}\r\nhi) CATENATE (URL "/INBOX;UIDVALIDITY=1/;UID=2" TEXT {3+}\r\nabc) {1+}\r\nz\r\n',
    ),
  );
  const first = appendStep(parser.read());
  assert.equal(first.streamed?.utf8, true);
  assert.equal(takeLiteral(parser), 'hi');
  const second = appendStep(parser.read());
  assert.equal(second.messages.length, 1);
  assert.deepEqual(second.messages[0]?.catenate, [
    { type: 'url', url: '/INBOX;UIDVALIDITY=1/;UID=2' },
    { type: 'text', data: Buffer.from('abc') },
  ]);
  assert.equal(second.streamed?.size, 1);
  assert.equal(takeLiteral(parser), 'z');
  assert.equal(appendStep(parser.read()).streamed, null);
});

test('a syntax error after a streamed message is a BAD with the tag, and the parser reads on', () => {
  const parser = streaming();
  parser.push(Buffer.from('b1 APPEND INBOX {2+}\r\nhi "not a date" {3+}\r\nabc\r\nb2 NOOP\r\n'));
  appendStep(parser.read());
  assert.equal(takeLiteral(parser), 'hi');
  const error = parser.read();
  assert.ok(error?.type === 'error');
  assert.equal(error.error.tag, 'b1');
  assert.equal(error.error.kind, 'syntax');
  const next = parser.read();
  assert.ok(next?.type === 'command' && next.command.tag === 'b2', JSON.stringify(next));
});

test('abandonAppend throws away the rest of the command, literals included', () => {
  const parser = streaming();
  parser.push(Buffer.from('d1 APPEND INBOX {5+}\r\nhe'));
  appendStep(parser.read());
  parser.abandonAppend();
  parser.push(Buffer.from('llo {4+}\r\nmore\r\nd2 NOOP\r\n'));
  const next = parser.read();
  assert.ok(next?.type === 'command' && next.command.tag === 'd2', JSON.stringify(next));
});

test('without streamAppend, APPEND comes whole as before', () => {
  const parser = new CommandParser();
  parser.push(Buffer.from('e1 APPEND INBOX {5+}\r\nhello\r\n'));
  const event = parser.read();
  assert.ok(event?.type === 'command' && event.command.name === 'APPEND');
  assert.equal(event.command.messages[0]?.content.toString(), 'hello');
});

const APPENDS = [
  'f1 APPEND INBOX (\\Seen) {5+}\r\nhello\r\n',
  'f2 APPEND INBOX {3}\r\nabc ~{3}\r\na\0c\r\n',
  'f3 APPEND Drafts UTF8 (~{2+}\r\nhi) (\\Draft) "01-Jan-2024 10:00:00 +0000" {1+}\r\nz\r\n',
  'f4 APPEND INBOX CATENATE (URL "/INBOX/;UID=1" TEXT {3+}\r\nabc) {2+}\r\nok\r\n',
  'f5 APPEND INBOX {0+}\r\n\r\n',
  'f6 NOOP\r\n',
];

test('fuzz: mutated streamed APPENDs in random chunks never throw and keep the parser in step', () => {
  const random = createRandom(0x5eed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  let parser = streaming();
  let events = 0;
  for (let round = 0; round < 3000; round++) {
    let text = pick(APPENDS);
    if (random() < 0.5) {
      const position = Math.floor(random() * text.length);
      const mutation = pick([
        '{',
        '}',
        '~',
        '(',
        ')',
        '"',
        ' ',
        '\r\n',
        '+',
        '9',
        '',
        'CATENATE (',
        'UTF8 (',
      ]);
      text = text.slice(0, position) + mutation + text.slice(position + (random() < 0.5 ? 1 : 0));
    }
    const bytes = Buffer.from(text, 'latin1');
    for (let offset = 0; offset < bytes.length;) {
      const size = 1 + Math.floor(random() * 16);
      parser.push(bytes.subarray(offset, offset + size));
      offset += size;
      for (;;) {
        if (parser.literalRemaining > 0) {
          if (random() < 0.05) parser.abandonAppend();
          else if (!parser.readLiteralData(1 + Math.floor(random() * 8))) break;
          continue;
        }
        const event = parser.read();
        if (!event) break;
        events++;
        if ((event.type === 'append' && event.synchronizing) || event.type === 'continuation') {
          if (random() < 0.8) parser.acceptLiteral();
          else parser.rejectLiteral();
        }
      }
      assert.ok(parser.bufferedBytes < 4096);
      if (parser.isClosed) parser = streaming();
    }
  }
  // whatever came before, a plain command is read again
  parser.push(Buffer.from('\r\n\r\nz1 NOOP\r\n'));
  let last: ParserEvent | null = null;
  for (let event = parser.read(); event; event = parser.read()) last = event;
  assert.ok(events > 3000);
  assert.ok(last === null || last.type === 'command' || last.type === 'error', JSON.stringify(last));
});
