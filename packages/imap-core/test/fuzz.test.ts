/**
 * Randomised robustness test of the command parser: 100,000+ random and mutated command lines
 * and literals, fed in random chunks to long-lived parsers with small limits. Asserts that no
 * exception escapes, that every read terminates, that buffered input never passes the limits,
 * and that the heap does not grow. The seed is in the test name: a failure reproduces exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CommandParser } from '../src/parser/command-parser.js';
import type { ParserLimits } from '../src/parser/limits.js';
import type { ParserEvent } from '../src/parser/types.js';
import { createRandom } from './support/seeded-random.js';

const SEED = 0x5eed1234;
const INPUT_COUNT = 120_000;
const LIMITS: ParserLimits = {
  maxLineLength: 2048,
  maxLiteralSize: 4096,
  maxCommandLiteralBytes: 8192,
  maxDiscardedLiteralSize: 65536,
  maxNestingDepth: 16,
  maxBufferedBytes: 16 * 1024,
};
/** `push` accepts at most one read's slack past `maxBufferedBytes` (see CommandParser). */
const MAX_QUEUED = LIMITS.maxBufferedBytes + 64 * 1024;

const VALID_COMMANDS = [
  'a1 CAPABILITY',
  'a2 LOGIN {4}\r\nuser "pa\\"ss"',
  'a3 AUTHENTICATE PLAIN AHRlc3QAdGVzdA==',
  'a4 SELECT INBOX (QRESYNC (67890007 90060115194045000 41:211,214:541 (1:15,19 4:28,30)))',
  'a5 EXAMINE &U,BTFw- (CONDSTORE)',
  'a6 CREATE Foo (USE (\\Drafts))',
  'a7 RENAME "a b" {3+}\r\nc d',
  'a8 LIST (SUBSCRIBED RECURSIVEMATCH) "" ("%" "x/*") RETURN (CHILDREN SPECIAL-USE STATUS (MESSAGES UNSEEN))',
  'a9 LSUB "" *',
  'b1 STATUS INBOX (UIDNEXT MESSAGES HIGHESTMODSEQ SIZE APPENDLIMIT)',
  'b2 APPEND INBOX (\\Seen) "17-Jul-1996 02:44:25 -0700" {12}\r\nSubject: x\r\n',
  'b3 APPEND INBOX ~{3+}\r\na\0b UTF8 (~{2+}\r\nhi)',
  'b4 UID SEARCH RETURN (MIN MAX COUNT) CHARSET UTF-8 OR (FROM "x" SINCE 1-Feb-1994) NOT (UID 1:5 MODSEQ 7) 1,3:*',
  'b5 SEARCH HEADER Subject {3}\r\nfoo KEYWORD $Junk LARGER 100 SENTON "1-Jan-2020"',
  'b6 FETCH 1:*,*:5 (FLAGS BODY.PEEK[1.2.HEADER.FIELDS (FROM TO)]<0.100> BINARY[1]<0.5> BINARY.SIZE[2] MODSEQ) (CHANGEDSINCE 5)',
  'b7 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)',
  'b8 STORE 7,5,9 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted $x)',
  'b9 UID MOVE $ Trash',
  'c1 UID EXPUNGE 3000:3002',
  'c2 ENABLE CONDSTORE UTF8=ACCEPT',
  'c3 ID ("name" "x" "version" NIL)',
  'c4 SETQUOTA "" (STORAGE 512)',
  'c5 IDLE',
  'DONE',
];
const SPECIALS = [
  '{',
  '}',
  '"',
  '(',
  ')',
  '[',
  ']',
  '<',
  '>',
  '\\',
  '*',
  '%',
  '~',
  '+',
  ' ',
  '\r',
  '\n',
  '\r\n',
  '$',
  ':',
  ',',
  '.',
  '\0',
  '\xff',
];
const HUGE_NUMBERS = [
  '0',
  '4294967295',
  '4294967296',
  '9223372036854775807',
  '9223372036854775808',
  '99999999999999999999999',
];

/** Builds one fuzz input: random bytes, a mutated valid command, or an adversarial construct. */
function makeInput(random: () => number): Buffer {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const roll = random();
  if (roll < 0.1) {
    const bytes = Buffer.alloc(Math.floor(random() * 200));
    for (let index = 0; index < bytes.length; index++) bytes[index] = Math.floor(random() * 256);
    return bytes;
  }
  if (roll < 0.15) {
    const depth = Math.floor(random() * 200);
    return Buffer.from(
      `n${depth} SEARCH ${'('.repeat(depth)}SEEN${')'.repeat(random() < 0.5 ? depth : 0)}\r\n`,
    );
  }
  if (roll < 0.18) {
    const size = pick([0, 1, 100, 4096, 4097, 100000, 2 ** 32]);
    const nonSync = random() < 0.5 ? '+' : '';
    const payload = 'p'.repeat(Math.min(size, Math.floor(random() * 5000)));
    return Buffer.from(
      `l1 APPEND INBOX ${random() < 0.3 ? '~' : ''}{${size}${nonSync}}\r\n${payload}\r\n`,
      'latin1',
    );
  }
  if (roll < 0.2) return Buffer.from(`x1 LOGIN ${'a'.repeat(Math.floor(random() * 5000))} b\r\n`);
  let text = pick(VALID_COMMANDS) + '\r\n';
  const mutations = 1 + Math.floor(random() * 4);
  for (let count = 0; count < mutations; count++) {
    const position = Math.floor(random() * (text.length + 1));
    const kind = random();
    if (kind < 0.2) text = text.slice(0, position);
    else if (kind < 0.35)
      text =
        text.slice(0, position) +
        text.slice(position, position + Math.floor(random() * 20)).repeat(2) +
        text.slice(position);
    else if (kind < 0.55) text = text.slice(0, position) + pick(SPECIALS) + text.slice(position);
    else if (kind < 0.7)
      text =
        text.slice(0, position) + String.fromCharCode(Math.floor(random() * 256)) + text.slice(position + 1);
    else if (kind < 0.8) text = text.replace(/\d+/, pick(HUGE_NUMBERS));
    else if (kind < 0.9)
      text =
        text.slice(0, position) +
        `{${pick(['0', '3', '17', '5000', '99999999999'])}${random() < 0.5 ? '+' : ''}}\r\n` +
        text.slice(position);
    else text = text.slice(0, position) + text.slice(position + 1 + Math.floor(random() * 5));
  }
  return Buffer.from(text, 'latin1');
}

/** How many events of each type the fuzz run saw (printed, so a run that parses nothing shows). */
const eventCounts = { command: 0, error: 0, continuation: 0, line: 0, append: 0 };

/** Reads every available event; checks each one's shape; answers continuations at random. */
function drainChecked(parser: CommandParser, random: () => number, budget: number): number {
  let events = 0;
  for (;;) {
    const useRawLine = random() < 0.05;
    const event: ParserEvent | { type: 'line'; line: string } | null = useRawLine
      ? parser.readLine()
      : parser.read();
    if (event === null) return events;
    events++;
    eventCounts[event.type === 'line' ? 'line' : event.type]++;
    assert.ok(events <= budget, 'the parser yields no more events than it was given bytes');
    if (event.type === 'error') {
      assert.ok(event.error.message.length > 0);
      assert.equal(
        event.error.fatal,
        event.error.kind === 'input-overflow' || event.error.kind === 'unrecoverable',
      );
    } else if (event.type === 'continuation') {
      assert.ok(event.request.size <= LIMITS.maxLiteralSize);
      if (random() < 0.8) parser.acceptLiteral();
      else parser.rejectLiteral();
    } else if (event.type === 'command' && event.command.name === 'APPEND') {
      const total = event.command.messages.reduce((sum, message) => sum + message.content.length, 0);
      assert.ok(total <= LIMITS.maxCommandLiteralBytes);
    }
  }
}

/** The heap after a full garbage collection. */
function collectedHeap(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test(
  `fuzz: ${INPUT_COUNT} random and mutated commands never throw, hang or grow memory (seed 0x${SEED.toString(16)})`,
  { timeout: 60_000 },
  () => {
    const random = createRandom(SEED);
    let parser = new CommandParser({ limits: LIMITS });
    let heapBaseline = 0;
    let parsersCreated = 1;
    for (let index = 0; index < INPUT_COUNT; index++) {
      if (index === 2000) heapBaseline = collectedHeap();
      const input = makeInput(random);
      let offset = 0;
      while (offset < input.length || offset === 0) {
        const size = 1 + Math.floor(random() * (random() < 0.5 ? 8 : 512));
        const chunk = input.subarray(offset, offset + size);
        offset += Math.max(chunk.length, 1);
        parser.push(chunk);
        assert.ok(parser.bufferedBytes <= MAX_QUEUED, 'buffered input stays within the limit');
        // Sometimes the session is busy and reads later: input queues, bounded.
        if (random() < 0.9) drainChecked(parser, random, parser.bufferedBytes + 2);
        if (parser.isClosed) {
          parser = new CommandParser({ limits: LIMITS });
          parsersCreated++;
        }
      }
    }
    drainChecked(parser, random, MAX_QUEUED + 2);
    const growth = collectedHeap() - heapBaseline;
    assert.ok(growth < 32 * 1024 * 1024, `heap grew by ${growth} bytes`);
    console.log(
      `fuzz: ${eventCounts.command} commands, ${eventCounts.error} errors, ${eventCounts.continuation} continuations, ${parsersCreated} parsers`,
    );
    assert.ok(parsersCreated < INPUT_COUNT / 10, 'most malformed input is recovered from without closing');
  },
);

test(`fuzz: a session that never reads cannot make the parser buffer past its limit (seed 0x${SEED.toString(16)})`, () => {
  const random = createRandom(SEED + 1);
  const parser = new CommandParser({ limits: LIMITS });
  for (let index = 0; index < 10_000 && !parser.isClosed; index++) {
    parser.push(makeInput(random));
    assert.ok(parser.bufferedBytes <= MAX_QUEUED);
  }
  const event = parser.read();
  assert.ok(event?.type === 'error' && event.error.kind === 'input-overflow');
});
