import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_NESTING,
  parseSieve,
  parseScript,
  SieveError,
  SIEVE_EXTENSIONS,
  type Command,
  type NumberArgument,
  type Script,
  type StringListArgument,
} from '@wildduck/sieve';
import { RFC_EXAMPLES } from './rfc-examples.js';

function valid(text: string): Script {
  const result = parseSieve(text);
  if (!result.ok) assert.fail(result.errors.map((error) => error.message).join('\n'));
  return result.script;
}

function errorsOf(text: string): SieveError[] {
  const result = parseSieve(text);
  assert.equal(result.ok, false, 'the script should be rejected');
  return result.ok ? [] : result.errors;
}

function firstError(text: string): { line: number; column: number; reason: string } {
  const error = errorsOf(text)[0]!;
  assert.ok(error instanceof SieveError);
  return { line: error.line, column: error.column, reason: error.reason };
}

function stringArgument(command: Command, index: number): StringListArgument {
  const argument = command.arguments[index];
  assert.equal(argument?.type, 'stringList');
  return argument as StringListArgument;
}

for (const example of RFC_EXAMPLES) {
  test(`RFC ${example.rfc} ${example.name}: ${example.valid ? 'accepted' : 'rejected'}`, () => {
    const result = parseSieve(example.script);
    if (example.valid) {
      assert.ok(result.ok, result.ok ? '' : result.errors.map((error) => error.message).join('\n'));
    } else {
      assert.equal(result.ok, false);
      if (!result.ok) {
        for (const error of result.errors) {
          assert.ok(error.line >= 1 && error.column >= 1, `position of ${error.message}`);
        }
        if (example.rejectedFor) {
          const reasons = result.errors.map((error) => error.reason);
          assert.ok(
            reasons.some((reason) => example.rejectedFor!.test(reason)),
            `${example.note}: ${reasons.join('; ')}`,
          );
        }
      }
    }
  });
}

test('every node of the tree has its line and column', () => {
  const script = valid('require "fileinto";\nif  header :is "a" ["b", "c"] {\n  fileinto "x";\n}\n');
  const [require, ifCommand] = script.commands;
  assert.deepEqual(require!.position, { line: 1, column: 1 });
  assert.deepEqual(ifCommand!.position, { line: 2, column: 1 });
  const header = ifCommand!.tests[0]!;
  assert.equal(header.name, 'header');
  assert.deepEqual(header.position, { line: 2, column: 5 });
  assert.deepEqual(header.arguments[0]!.position, { line: 2, column: 12 });
  const keys = header.arguments[2] as StringListArgument;
  assert.equal(keys.bracketed, true);
  assert.deepEqual(keys.position, { line: 2, column: 20 });
  assert.deepEqual(keys.values[1]!.position, { line: 2, column: 26 });
  assert.deepEqual(ifCommand!.block![0]!.position, { line: 3, column: 3 });
});

test('a missing semicolon is reported where the next command starts', () => {
  assert.deepEqual(firstError('if true {\n    keep\n    stop;\n}\n'), {
    line: 3,
    column: 5,
    reason: 'expected ";" after "keep"',
  });
  assert.deepEqual(firstError('redirect "a@example.com"\n}'), {
    line: 2,
    column: 1,
    reason: 'expected ";" or a block after "redirect" but found "}"',
  });
});

test('syntax errors carry the position of the offending token', () => {
  assert.deepEqual(firstError('if true {\n  keep;\n'), {
    line: 3,
    column: 1,
    reason: 'expected "}" to close the block of "if" but found the end of the script',
  });
  assert.deepEqual(firstError('if header :is "a" ["b" "c"] { keep; }'), {
    line: 1,
    column: 24,
    reason: 'expected "]" to close the string list but found a string',
  });
  assert.deepEqual(firstError('keep;\n  fileinto "unterminated;\n'), {
    line: 2,
    column: 12,
    reason: 'unterminated string',
  });
  assert.deepEqual(firstError('keep;\n@'), { line: 2, column: 1, reason: 'unexpected character "@"' });
  assert.deepEqual(firstError('if anyof (true, ) { keep; }'), {
    line: 1,
    column: 17,
    reason: 'expected a test but found ")"',
  });
  assert.throws(() => parseScript('keep'), SieveError);
});

test('validation errors carry positions and are all reported, in order', () => {
  const errors = errorsOf(
    'require "fileinto";\nfileinto 12;\nif header :over "a" "b" { keep; }\nredirect;\n',
  );
  assert.deepEqual(
    errors.map((error) => [error.line, error.column, error.reason]),
    [
      [2, 10, 'argument 1 of "fileinto" must be a string, not a number'],
      [3, 11, '"header" has no tag ":over"'],
      [4, 1, '"redirect" takes 1 positional argument, not 0'],
    ],
  );
  assert.match(errors[0]!.message, /^line 2, column 10: /);
});

test('extensions must be required before their commands, tests and tags are used', () => {
  assert.equal(firstError('fileinto "a";').reason, '"fileinto" needs require "fileinto"');
  assert.equal(
    firstError('if envelope :is "to" "a" { keep; }').reason,
    'the test "envelope" needs require "envelope"',
  );
  assert.deepEqual(firstError('redirect :copy "a@example.com";'), {
    line: 1,
    column: 10,
    reason: 'the tag ":copy" needs require "copy"',
  });
  assert.equal(
    firstError('require "fileinto";\nfileinto :create "a";').reason,
    'the tag ":create" needs require "mailbox"',
  );
  assert.equal(
    firstError('if header :count "gt" "to" "2" { keep; }').reason,
    'the tag ":count" needs require "relational"',
  );
  assert.deepEqual(firstError('if header :comparator "i;ascii-numeric" :is "x" "1" { keep; }'), {
    line: 1,
    column: 23,
    reason: 'the comparator "i;ascii-numeric" needs require "comparator-i;ascii-numeric"',
  });
  assert.deepEqual(firstError('require ["fileinto", "imap4flags", "sparkles"];'), {
    line: 1,
    column: 36,
    reason: 'unsupported extension "sparkles"',
  });
  valid(
    'require ["fileinto", "copy", "mailbox", "imap4flags"];\nfileinto :copy :create :flags ["\\\\Seen"] "a";\nif mailboxexists "a" { keep; }',
  );
  valid(
    'require ["relational", "comparator-i;ascii-numeric"];\nif header :value "ge" :comparator "i;ascii-numeric" "x-n" "3" { keep; }',
  );
});

test('require belongs at the start; elsif and else follow if or elsif', () => {
  assert.deepEqual(firstError('keep;\nrequire "fileinto";'), {
    line: 2,
    column: 1,
    reason: '"require" must come before any other command',
  });
  assert.equal(
    firstError('if true { require "fileinto"; }').reason,
    '"require" is only allowed at the top level of the script',
  );
  assert.equal(firstError('keep;\nelsif true { keep; }').reason, '"elsif" must follow "if" or "elsif"');
  assert.equal(
    firstError('if true { keep; } else { keep; } else { stop; }').reason,
    '"else" must follow "if" or "elsif"',
  );
  assert.deepEqual(
    errorsOf('if true keep;').map((error) => [error.column, error.reason]),
    [
      [1, '"if" needs a block'],
      [9, 'unexpected command "keep"'],
    ],
  );
  assert.equal(firstError('if true;').reason, '"if" needs a block');
  assert.equal(firstError('keep { stop; }').reason, '"keep" takes no block; end it with ";"');
  valid(
    'require "fileinto";\nrequire "envelope";\nif false { keep; } elsif false { keep; } elsif true { stop; } else { discard; }',
  );
});

test('argument shapes are checked', () => {
  assert.equal(
    firstError('if address :is :localpart :domain "to" "a" { keep; }').reason,
    '":domain" conflicts with ":localpart" (both a address part)',
  );
  assert.equal(firstError('if header :is :is "to" "a" { keep; }').reason, '":is" is given twice');
  assert.equal(
    firstError('if header :comparator "i;klingon" "to" "a" { keep; }').reason,
    'unknown comparator "i;klingon"',
  );
  assert.equal(
    firstError('if header :comparator :is "to" "a" { keep; }').reason,
    '":comparator" must be followed by a string',
  );
  assert.equal(
    firstError('redirect ["a@example.com", "b@example.com"];').reason,
    'argument 1 of "redirect" must be a string, not a string list',
  );
  assert.equal(
    firstError('if exists "a" "b" { keep; }').reason,
    '"exists" takes 1 positional argument, not 2',
  );
  assert.equal(
    firstError('if not (true) { keep; }').reason,
    '"not" needs exactly one test, not in parentheses',
  );
  assert.equal(firstError('if size :over { keep; }').reason, '"size" takes 1 positional argument, not 0');
  assert.equal(
    firstError('if size :under 1 :over 2 { keep; }').reason,
    '":over" conflicts with ":under" (both a size)',
  );
  assert.equal(firstError('if size 1 { keep; }').reason, '"size" needs :over or :under');
  assert.equal(firstError('if frobnicate { keep; }').reason, 'unknown test "frobnicate"');
  assert.equal(firstError('frobnicate;').reason, 'unknown command "frobnicate"');
  assert.equal(firstError('header "a" "b";').reason, 'unknown command "header" ("header" is a test)');
  assert.equal(
    firstError('require "variables";\nset "a.b" "c";').reason,
    '"a.b" is not a variable name that can be set',
  );
  assert.equal(
    firstError('require "relational";\nif header :count "gtt" "a" "1" { keep; }').reason,
    '":count" takes one of "gt", "ge", "lt", "le", "eq", "ne"',
  );
  assert.equal(
    firstError('require "imap4flags";\nsetflag "a" "b" "c";').reason,
    '"setflag" takes 1 or 2 positional arguments, not 3',
  );
  assert.equal(
    firstError('require "imap4flags";\nsetflag ["a"] "b";').reason,
    'argument 1 of "setflag" must be a string, not a string list',
  );
});

test('identifiers, tags and quantifiers are case-insensitive', () => {
  const script = valid(
    'REQUIRE "FileInto";\nIf HEADER :IS "a" "b" { FILEINTO "x"; }'.replace('"FileInto"', '"fileinto"'),
  );
  assert.equal(script.commands[1]!.name, 'if');
  assert.equal(script.commands[1]!.tests[0]!.arguments[0]!.type, 'tag');
});

test('numbers take the K, M and G quantifiers', () => {
  const sizes = ['1', '2K', '3k', '4M', '5G', '0'].map((raw) => {
    const script = valid(`if size :over ${raw} { keep; }`);
    return (script.commands[0]!.tests[0]!.arguments[1] as NumberArgument).value;
  });
  assert.deepEqual(sizes, [1, 2 * 1024, 3 * 1024, 4 * 1024 * 1024, 5 * 1024 * 1024 * 1024, 0]);
  assert.deepEqual(firstError('if size :over 10X { keep; }'), {
    line: 1,
    column: 17,
    reason: 'a number may only be followed by the quantifier K, M or G',
  });
  assert.equal(
    firstError('if size :over 99999999999999999999G { keep; }').reason,
    'number 99999999999999999999G is too large',
  );
});

test('quoted strings unescape \\" and \\\\ and may span lines', () => {
  const script = valid('redirect "a\\"b\\\\c\\d\nnext";');
  assert.equal(stringArgument(script.commands[0]!, 0).values[0]!.value, 'a"b\\cd\nnext');
});

test('multi-line strings: dot-stuffing, CRLF lines, a comment after text:', () => {
  const text =
    'require "reject";\nreject text: # why\nfirst\n..dotted\n...\n\n\t.not the end\n. \n.\n;\nstop;';
  const script = valid(text);
  const reason = stringArgument(script.commands[1]!, 0).values[0]!;
  assert.equal(reason.multiline, true);
  assert.equal(reason.value, 'first\r\n.dotted\r\n..\r\n\r\n\t.not the end\r\n \r\n');
  assert.deepEqual(reason.position, { line: 2, column: 8 });
  assert.deepEqual(script.commands[2]!.position, { line: 11, column: 1 });

  const crlf = valid('require "reject";\r\nreject text:\r\nline\r\n.\r\n;\r\n');
  assert.equal(stringArgument(crlf.commands[1]!, 0).values[0]!.value, 'line\r\n');
  const empty = valid('require "reject";\nreject text:\n.\n;');
  assert.equal(stringArgument(empty.commands[1]!, 0).values[0]!.value, '');

  assert.deepEqual(firstError('require "reject";\nreject text:\nnever ends\n'), {
    line: 2,
    column: 8,
    reason: 'unterminated multi-line string',
  });
  assert.deepEqual(firstError('require "reject";\nreject text: "no"\n.\n;'), {
    line: 2,
    column: 14,
    reason: 'expected the end of the line after "text:"',
  });
});

test('comments are skipped wherever whitespace may stand', () => {
  const script = valid(
    '# leading\nif /* a */ header /* b\n c */ :is # d\n "a" [ /* e */ "b" # f\n , "c" ] { keep /* g */ ; } # end',
  );
  const header = script.commands[0]!.tests[0]!;
  assert.equal((header.arguments[2] as StringListArgument).values.length, 2);
  assert.deepEqual(firstError('keep; /* never closed\n'), {
    line: 1,
    column: 7,
    reason: 'unterminated bracket comment',
  });
  // A hash inside a string is text, not a comment.
  assert.equal(stringArgument(valid('redirect "a#b";').commands[0]!, 0).values[0]!.value, 'a#b');
});

test('the list of supported extensions is what require accepts', () => {
  for (const extension of SIEVE_EXTENSIONS) valid(`require "${extension}";`);
  for (const needed of [
    'fileinto',
    'envelope',
    'imap4flags',
    'copy',
    'body',
    'variables',
    'reject',
    'ereject',
    'vacation',
    'mailbox',
    'relational',
  ]) {
    assert.ok((SIEVE_EXTENSIONS as readonly string[]).includes(needed), needed);
  }
});

test('scripts nested past the limit, or thousands deep, are refused with a position instead of overflowing the stack', () => {
  const deepest = 'if true { '.repeat(MAX_NESTING - 1) + 'keep;' + ' }'.repeat(MAX_NESTING - 1);
  valid(deepest);
  for (const script of [
    'if true { '.repeat(20_000) + '}'.repeat(20_000),
    'if ' + 'not '.repeat(20_000) + 'true { keep; }',
    'if ' + 'allof('.repeat(20_000),
  ]) {
    const error = firstError(script);
    assert.equal(error.line, 1);
    assert.match(error.reason, new RegExp(`nest deeper than ${MAX_NESTING} levels`));
  }
});

test('a very long name is cut short in an error message', () => {
  const { reason } = firstError('x'.repeat(100_000));
  assert.ok(reason.length < 200, `a reason of ${reason.length} characters`);
  assert.match(reason, /"x{40}…"/);
});
