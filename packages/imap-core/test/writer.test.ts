import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable, Writable } from 'node:stream';
import { parseOne } from './parser-helpers.js';
import {
  ResponseWriter,
  appendUidCode,
  atom,
  capabilityCode,
  copyUidCode,
  encodeResponse,
  fetchResponseName,
  formatDateTime,
  formatSequenceRanges,
  formatSequenceSet,
  highestModSeqCode,
  literal,
  mailbox,
  permanentFlagsCode,
  simpleCode,
  uidNextCode,
  type ImapResponse,
  type ImapValue,
} from '../src/writer/index.js';

/** Encodes a response (no streams) to text. */
function encode(response: ImapResponse, utf8 = false): string {
  return Buffer.concat(
    encodeResponse(response, { utf8 }).map((piece) => (Buffer.isBuffer(piece) ? piece : Buffer.alloc(0))),
  ).toString('utf8');
}

function untagged(...values: ImapValue[]): string {
  return encode({ type: 'untagged', values });
}

test('untagged data: numbers, atoms, NIL, nested lists', () => {
  assert.equal(untagged(3, atom('EXISTS')), '* 3 EXISTS\r\n');
  assert.equal(
    untagged(2, atom('FETCH'), [
      atom('FLAGS'),
      [atom('\\Seen'), atom('$Junk')],
      atom('UID'),
      4827313,
      atom('X'),
      null,
    ]),
    '* 2 FETCH (FLAGS (\\Seen $Junk) UID 4827313 X NIL)\r\n',
  );
  assert.equal(untagged(atom('SEARCH')), '* SEARCH\r\n');
  assert.equal(untagged(atom('X'), []), '* X ()\r\n');
  assert.equal(untagged(12345678901234567890n), '* 12345678901234567890\r\n');
});

test('strings are quoted when safe, escaped, and literals otherwise', () => {
  assert.equal(untagged('hello world'), '* "hello world"\r\n');
  assert.equal(untagged('say "hi" \\o/'), '* "say \\"hi\\" \\\\o/"\r\n');
  assert.equal(untagged(''), '* ""\r\n');
  assert.equal(untagged('two\r\nlines'), '* {10}\r\ntwo\r\nlines\r\n');
  assert.equal(untagged('caf\u00e9'), '* {5}\r\ncaf\u00e9\r\n', '8-bit needs a literal without UTF8=ACCEPT');
  assert.equal(
    encode({ type: 'untagged', values: ['caf\u00e9'] }, true),
    '* "caf\u00e9"\r\n',
    'UTF8=ACCEPT allows quoted UTF-8',
  );
  assert.equal(untagged(Buffer.from('a\0b', 'latin1')), '* {3}\r\na\0b\r\n');
  const long = 'x'.repeat(2000);
  assert.equal(untagged(long), `* {2000}\r\n${long}\r\n`);
});

test('mailbox names are modified UTF-7, or UTF-8 after UTF8=ACCEPT', () => {
  const list: ImapValue[] = [
    atom('LIST'),
    [atom('\\HasNoChildren')],
    '/',
    mailbox('~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e'),
  ];
  assert.equal(untagged(...list), '* LIST (\\HasNoChildren) "/" "~peter/mail/&U,BTFw-/&ZeVnLIqe-"\r\n');
  assert.equal(
    encode({ type: 'untagged', values: list }, true),
    '* LIST (\\HasNoChildren) "/" "~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e"\r\n',
  );
  assert.equal(untagged(mailbox('Tom & Jerry')), '* "Tom &- Jerry"\r\n');
});

test('literal values: Buffer bodies and literal8', () => {
  assert.equal(
    untagged(1, atom('FETCH'), [atom('BODY[]'), literal(Buffer.from('abc'))]),
    '* 1 FETCH (BODY[] {3}\r\nabc)\r\n',
  );
  assert.equal(untagged(literal(Buffer.from('a\0'), 2, true)), '* ~{2}\r\na\0\r\n');
});

test('status responses with response codes', () => {
  assert.equal(
    encode({
      type: 'status',
      tag: null,
      condition: 'OK',
      code: uidNextCode(4392),
      text: 'Predicted next UID',
    }),
    '* OK [UIDNEXT 4392] Predicted next UID\r\n',
  );
  assert.equal(
    encode({
      type: 'status',
      tag: 'A003',
      condition: 'OK',
      code: appendUidCode(38505, [3955]),
      text: 'APPEND completed',
    }),
    'A003 OK [APPENDUID 38505 3955] APPEND completed\r\n',
  );
  assert.equal(
    encode({
      type: 'status',
      tag: 'A004',
      condition: 'OK',
      code: copyUidCode(38505, [304, 319, 320], [3956, 3957, 3958]),
      text: 'Done',
    }),
    'A004 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n',
  );
  assert.equal(
    encode({
      type: 'status',
      tag: null,
      condition: 'OK',
      code: highestModSeqCode(715194045007),
      text: 'Highest',
    }),
    '* OK [HIGHESTMODSEQ 715194045007] Highest\r\n',
  );
  assert.equal(
    encode({
      type: 'status',
      tag: null,
      condition: 'OK',
      code: permanentFlagsCode(['\\Deleted', '\\Seen', '\\*']),
      text: 'Limited',
    }),
    '* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n',
  );
  assert.equal(
    encode({
      type: 'status',
      tag: null,
      condition: 'OK',
      code: capabilityCode(['IMAP4rev1', 'IDLE']),
      text: 'ready',
    }),
    '* OK [CAPABILITY IMAP4rev1 IDLE] ready\r\n',
  );
  assert.equal(
    encode({ type: 'status', tag: 'a', condition: 'NO', code: simpleCode('TOOBIG'), text: 'too big' }),
    'a NO [TOOBIG] too big\r\n',
  );
  assert.equal(
    encode({ type: 'status', tag: 'a', condition: 'BAD', text: 'line one\r\nline two' }),
    'a BAD line one line two\r\n',
  );
  assert.equal(encode({ type: 'status', tag: null, condition: 'BYE', text: '' }), '* BYE failed\r\n');
});

test('continuation requests', () => {
  assert.equal(
    encode({ type: 'continuation', text: 'Ready for literal data' }),
    '+ Ready for literal data\r\n',
  );
  assert.equal(encode({ type: 'continuation', text: '' }), '+ \r\n');
});

test('sequence sets are formatted compactly', () => {
  assert.equal(formatSequenceSet([1, 2, 3, 5]), '1:3,5');
  assert.equal(formatSequenceSet([5, 3, 2, 1, 2], { sort: true }), '1:3,5');
  assert.equal(formatSequenceSet([10, 11, 4, 5, 6]), '10:11,4:6', 'order kept for COPYUID correspondence');
  assert.equal(formatSequenceSet([]), '');
  assert.equal(
    formatSequenceRanges([
      { start: 1, end: '*' },
      { start: 4, end: 4 },
    ]),
    '1:*,4',
  );
  assert.equal(formatSequenceRanges('$'), '$');
});

test('FETCH response names echo the section and the partial origin', () => {
  const command = parseOne(
    'a FETCH 1 (BODY.PEEK[1.2.HEADER.FIELDS (FROM "X Y")]<0.100> BINARY.PEEK[1]<5.5> BINARY.SIZE[2] BODY[] RFC822.SIZE)',
  );
  assert.ok(command.name === 'FETCH');
  assert.deepEqual(command.items.map(fetchResponseName), [
    'BODY[1.2.HEADER.FIELDS (FROM "X Y")]<0>',
    'BINARY[1]<5>',
    'BINARY.SIZE[2]',
    'BODY[]',
    'RFC822.SIZE',
  ]);
});

test('date-times for INTERNALDATE', () => {
  const date = new Date('1996-07-17T09:44:25.000Z');
  assert.equal(formatDateTime(date), '17-Jul-1996 09:44:25 +0000');
  assert.equal(formatDateTime(date, -420), '17-Jul-1996 02:44:25 -0700');
  assert.equal(formatDateTime(date, 330), '17-Jul-1996 15:14:25 +0530');
});

/** A Writable that accepts `highWaterMark` bytes and then only drains when `release()` is called. */
class SlowSocket extends Writable {
  readonly received: Buffer[] = [];
  private pending: (() => void)[] = [];
  constructor() {
    super({ highWaterMark: 16 });
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.received.push(chunk);
    this.pending.push(() => callback());
  }
  release(): void {
    const pending = this.pending;
    this.pending = [];
    for (const done of pending) done();
  }
  get text(): string {
    return Buffer.concat(this.received).toString('latin1');
  }
}

test('the writer waits for drain and keeps responses in order', async () => {
  const socket = new SlowSocket();
  const writer = new ResponseWriter(socket);
  let firstDone = false;
  void writer.untagged(1, atom('EXISTS'), 'x'.repeat(100)).then(() => (firstDone = true));
  const second = writer.tagged('a1', 'OK', 'done');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(firstDone, false, 'the first write waits for drain');
  assert.equal(socket.text.includes('a1 OK'), false, 'the second waits for the first');
  while (!firstDone) {
    socket.release();
    await new Promise((resolve) => setImmediate(resolve));
  }
  socket.release();
  await second;
  assert.equal(socket.text, `* 1 EXISTS "${'x'.repeat(100)}"\r\na1 OK done\r\n`);
});

test('a streamed literal body is pulled only as fast as the socket drains', async () => {
  const socket = new SlowSocket();
  // output is gathered up to the threshold before it is written; a small one keeps this test small
  const writer = new ResponseWriter(socket, { flushThreshold: 256 });
  let pulled = 0;
  const chunkCount = 1000;
  const body = new Readable({
    highWaterMark: 64,
    read() {
      if (pulled === chunkCount) return void this.push(null);
      pulled++;
      this.push(Buffer.alloc(64, 'm'));
    },
  });
  const done = writer.untagged(1, atom('FETCH'), [atom('BODY[]'), literal(body, 64 * chunkCount)]);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(pulled < 10, `only a few chunks are read before the client drains (read ${pulled})`);
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished) {
    socket.release();
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(socket.text, `* 1 FETCH (BODY[] {64000}\r\n${'m'.repeat(64000)})\r\n`);
});

test('a stream shorter than announced rejects and destroys the socket', async () => {
  const socket = new PassThrough();
  socket.resume();
  const writer = new ResponseWriter(socket);
  await assert.rejects(
    writer.untagged(literal(Readable.from([Buffer.from('abc')]), 5)),
    /ended after 3 of the announced 5/,
  );
  assert.equal(socket.destroyed, true);
  assert.equal(writer.closed, true);
  await writer.tagged('a', 'OK', 'dropped silently');
});

test('writing to a closed socket does not hang', async () => {
  const socket = new SlowSocket();
  const writer = new ResponseWriter(socket);
  const pending = writer.untagged('x'.repeat(100));
  socket.destroy();
  await pending;
  await writer.tagged('a', 'OK', 'after close');
  assert.equal(writer.closed, true);
});
