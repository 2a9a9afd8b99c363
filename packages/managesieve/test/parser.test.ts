import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ManageSieveParser,
  encodeString,
  statusLine,
  type ParseEvent,
  type ParserLimits,
} from '../src/index.js';

/** Feeds `input` (optionally cut into pieces of `step` bytes) and returns the events, tokens readable. */
function parse(input: string | Buffer, limits: Partial<ParserLimits> = {}, step = 0) {
  const events: ParseEvent[] = [];
  const parser = new ManageSieveParser((event) => events.push(event), limits);
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input, 'utf8');
  if (step > 0) for (let at = 0; at < bytes.length; at += step) parser.push(bytes.subarray(at, at + step));
  else parser.push(bytes);
  return events.map((event) =>
    event.kind === 'line'
      ? event.tokens.map((token) =>
          token.type === 'atom'
            ? token.value
            : `${token.literal ? 'L' : 'Q'}:${token.value.toString('utf8')}`,
        )
      : event,
  );
}

test('atoms, quoted strings with escapes, numbers', () => {
  assert.deepEqual(parse('CAPABILITY\r\nHAVESPACE "my script" 1234\r\n'), [
    ['CAPABILITY'],
    ['HAVESPACE', 'Q:my script', '1234'],
  ]);
  assert.deepEqual(parse('GETSCRIPT "a \\"b\\" \\\\c"\r\n'), [['GETSCRIPT', 'Q:a "b" \\c']]);
  assert.deepEqual(parse('SETACTIVE ""\r\n'), [['SETACTIVE', 'Q:']]);
  assert.deepEqual(parse('GETSCRIPT "Grüße"\r\n'), [['GETSCRIPT', 'Q:Grüße']]);
  assert.deepEqual(parse('NOOP\n'), [['NOOP']], 'a bare LF ends a line too');
  assert.deepEqual(parse('\r\n'), [[]], 'an empty line is an empty command');
});

test('non-synchronizing and synchronizing literals, anywhere in the command', () => {
  const script = 'require "fileinto";\r\nfileinto "A";\r\n';
  const length = Buffer.byteLength(script);
  assert.deepEqual(parse(`PUTSCRIPT "x" {${length}+}\r\n${script}\r\nNOOP\r\n`), [
    ['PUTSCRIPT', 'Q:x', `L:${script}`],
    ['NOOP'],
  ]);
  assert.deepEqual(parse(`PUTSCRIPT {1+}\r\nx {${length}}\r\n${script}\r\n`), [
    ['PUTSCRIPT', 'L:x', `L:${script}`],
  ]);
  assert.deepEqual(parse('{8+}\r\nAGEAYgBj\r\n'), [['L:AGEAYgBj']], 'a SASL response as a literal');
  assert.deepEqual(parse('CHECKSCRIPT {0+}\r\n\r\n'), [['CHECKSCRIPT', 'L:']]);
  // literal bytes are taken as they are, CRLF and braces included, in any chunking
  const tricky = '{5+}\r\n"\r\n}\r\n';
  for (const step of [1, 2, 3, 7])
    assert.deepEqual(
      parse(`PUTSCRIPT "t" {${Buffer.byteLength(tricky)}+}\r\n${tricky}\r\nLOGOUT\r\n`, {}, step),
      [['PUTSCRIPT', 'Q:t', `L:${tricky}`], ['LOGOUT']],
      `step ${step}`,
    );
  const utf8 = 'Grüße';
  assert.deepEqual(parse(`PUTSCRIPT "u" {${Buffer.byteLength(utf8)}+}\r\n${utf8}\r\n`, {}, 1), [
    ['PUTSCRIPT', 'Q:u', `L:${utf8}`],
  ]);
});

test('bad input: one error per command, the next command is read', () => {
  const errors = (input: string) => parse(`${input}\r\nNOOP\r\n`);
  for (const bad of [
    'GETSCRIPT "unterminated',
    'GETSCRIPT "bad \\n escape"',
    'GETSCRIPT  "two spaces"',
    'GETSCRIPT "x" ',
    'GETSCRIPT (x)',
    'GETSCRIPT "a"b',
    'PUTSCRIPT "x"{3+}\r\nabc',
  ]) {
    const events = errors(bad);
    assert.equal(events.length, 2, bad);
    assert.equal((events[0] as ParseEvent).kind, 'error', bad);
    assert.deepEqual(events[1], ['NOOP'], bad);
  }
  assert.deepEqual(parse('PUTSCRIPT "x" "y" (\r\n')[0], {
    kind: 'error',
    message: "Unexpected character '('",
    command: 'PUTSCRIPT',
  });
});

test('a line over the limit is skipped to its end, a literal announced at its end too', () => {
  const long = `GETSCRIPT "${'a'.repeat(200)}"`;
  const events = parse(`${long}\r\nNOOP\r\n`, { maxLineLength: 100 }, 13);
  assert.equal((events[0] as { message: string }).message, 'Line too long (at most 100 bytes)');
  assert.deepEqual(events[1], ['NOOP']);
  const withLiteral = parse(`PUTSCRIPT "${'a'.repeat(200)}" {6+}\r\nLOGOUT\r\nNOOP\r\n`, {
    maxLineLength: 100,
  });
  assert.equal(withLiteral.length, 2);
  assert.equal((withLiteral[0] as ParseEvent).kind, 'error');
  assert.deepEqual(withLiteral[1], ['NOOP'], 'the literal LOGOUT\\r\\n was skipped, not run');
});

test('a literal over the limit is skipped and reported; beyond the skip limit it is fatal', () => {
  const big = 'x'.repeat(100);
  const events = parse(`PUTSCRIPT "big" {100+}\r\n${big}\r\nNOOP\r\n`, { maxLiteralSize: 50 }, 9);
  assert.deepEqual(events[0], {
    kind: 'error',
    message: 'Literal too large (at most 50 bytes)',
    command: 'PUTSCRIPT',
    literalTooLarge: true,
  });
  assert.deepEqual(events[1], ['NOOP']);
  const fatal = parse(`AUTHENTICATE "PLAIN" {100000+}\r\n${big}NOOP\r\n`, {
    maxLiteralSize: 50,
    maxSkippedLiteral: 0,
  });
  assert.deepEqual(fatal, [{ kind: 'fatal', message: 'Literal too large (at most 50 bytes)' }]);
});

test('too many arguments', () => {
  const events = parse(`NOOP ${Array.from({ length: 20 }, () => '"a"').join(' ')}\r\nNOOP\r\n`);
  assert.equal((events[0] as { message: string }).message, 'Too many arguments');
  assert.deepEqual(events[1], ['NOOP']);
});

test('reset drops what was pipelined (STARTTLS)', () => {
  const events: ParseEvent[] = [];
  const parser = new ManageSieveParser((event) => events.push(event));
  parser.push(Buffer.from('STARTTLS\r\nPUTSCRIPT "x" {10+}\r\nabc'));
  assert.equal(events.length, 1);
  parser.reset();
  parser.push(Buffer.from('NOOP\r\n'));
  assert.equal(events.length, 2);
  assert.deepEqual(events[1], { kind: 'line', tokens: [{ type: 'atom', value: 'NOOP' }] });
});

test('responses: quoted when possible, else a literal; status lines with codes', () => {
  assert.equal(encodeString('plain'), '"plain"');
  assert.equal(encodeString('say "hi" \\o/'), '"say \\"hi\\" \\\\o/"');
  assert.equal(encodeString('two\r\nlines'), '{10}\r\ntwo\r\nlines');
  assert.equal(encodeString('ü'.repeat(1100)), `{2200}\r\n${'ü'.repeat(1100)}`);
  assert.equal(statusLine('OK', 'Done'), 'OK "Done"\r\n');
  assert.equal(statusLine('NO', 'Too big', 'QUOTA/MAXSIZE'), 'NO (QUOTA/MAXSIZE) "Too big"\r\n');
  assert.equal(statusLine('OK', 'Done', 'TAG', 'abc'), 'OK (TAG "abc") "Done"\r\n');
});
