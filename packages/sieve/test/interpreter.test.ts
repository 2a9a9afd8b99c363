import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseScript,
  parseSieve,
  runSieve,
  scriptNeeds,
  SieveRuntimeError,
  type Script,
  type SieveAction,
  type SieveMessage,
  type SieveOutcome,
  type SieveRunOptions,
} from '@wildduck/sieve';
import { MESSAGE_A, MESSAGE_B, message } from './messages.js';
import { RFC_EXAMPLES } from './rfc-examples.js';

const OPTIONS: SieveRunOptions = { userAddresses: ['rcpt@example.com'] };

function compile(text: string): Script {
  const result = parseSieve(text);
  if (!result.ok) assert.fail(result.errors.map((error) => error.message).join('\n'));
  return result.script;
}

function run(
  text: string | string[],
  msg: SieveMessage = MESSAGE_A,
  options: SieveRunOptions = OPTIONS,
): SieveOutcome {
  const scripts = (Array.isArray(text) ? text : [text]).map(compile);
  return runSieve(scripts, msg, options);
}

function actions(text: string | string[], msg?: SieveMessage, options?: SieveRunOptions): SieveAction[] {
  return run(text, msg, options).actions;
}

function runtimeError(
  text: string | string[],
  msg?: SieveMessage,
  options?: SieveRunOptions,
): SieveRuntimeError {
  try {
    run(text, msg, options);
  } catch (error) {
    assert.ok(error instanceof SieveRuntimeError, String(error));
    return error;
  }
  assert.fail('expected a SieveRuntimeError');
}

const KEEP: SieveAction = { type: 'keep', flags: [] };
const fileinto = (mailbox: string, flags: string[] = [], create = false): SieveAction => ({
  type: 'fileinto',
  mailbox,
  flags,
  create,
});

/** A simple personal message to rcpt@example.com, for the tests that do not need RFC 5228's. */
function mail(headers: string, body = 'Hello\n', envelope?: { from?: string; to?: string }): SieveMessage {
  return message(`${headers.trim()}\n\n${body}`, { envelope: envelope ?? {} });
}

const PERSONAL = `From: Friend <friend@example.org>
To: Recipient <rcpt@example.com>
Subject: lunch?
Message-ID: <1@example.org>`;

// --- RFC 5228: control, actions, implicit keep ----------------------------------------------

test('an empty script and a script without actions keep the message (implicit keep)', () => {
  assert.deepEqual(run(''), { actions: [KEEP], implicitKeep: true });
  // RFC 5228 2.10.2: with the short example messages this produces no actions.
  assert.deepEqual(run('if size :over 500K { discard; }'), { actions: [KEEP], implicitKeep: true });
});

test('RFC 5228 3.1: both messages A and B are dropped; fileinto "INBOX" otherwise', () => {
  const script = `require "fileinto";
if header :contains "from" "coyote" {
   discard;
} elsif header :contains ["subject"] ["$$$"] {
   discard;
} else {
   fileinto "INBOX";
}`;
  assert.deepEqual(run(script, MESSAGE_A), { actions: [{ type: 'discard' }], implicitKeep: false });
  assert.deepEqual(run(script, MESSAGE_B), { actions: [{ type: 'discard' }], implicitKeep: false });
  assert.deepEqual(run(script, mail(PERSONAL)), { actions: [KEEP], implicitKeep: false });
});

test('RFC 5228 3.1: the redirect chain sends A to acm, B to postmaster, others to field', () => {
  const script = `if header :contains ["From"] ["coyote"] {
   redirect "acm@example.com";
} elsif header :contains "Subject" "$$$" {
   redirect "postmaster@example.com";
} else {
   redirect "field@example.com";
}`;
  assert.deepEqual(actions(script, MESSAGE_A), [{ type: 'redirect', address: 'acm@example.com' }]);
  assert.deepEqual(actions(script, MESSAGE_B), [{ type: 'redirect', address: 'postmaster@example.com' }]);
  assert.deepEqual(actions(script, mail(PERSONAL)), [{ type: 'redirect', address: 'field@example.com' }]);
});

test('RFC 5228 4.1: message A is filed into INBOX.harassment', () => {
  const script =
    'require "fileinto";\nif header :contains ["from"] "coyote" { fileinto "INBOX.harassment"; }';
  assert.deepEqual(run(script), { actions: [fileinto('INBOX.harassment')], implicitKeep: false });
  assert.deepEqual(run(script, MESSAGE_B).actions, [KEEP]);
});

test('RFC 5228 9: the extended example files, keeps or sorts as its comments say', () => {
  const script = `require ["fileinto"];
if header :is "Sender" "owner-ietf-mta-filters@imc.org" { fileinto "filter"; }
elsif address :DOMAIN :is ["From", "To"] "example.com" { keep; }
elsif anyof (NOT address :all :contains ["To", "Cc", "Bcc"] "me@example.com",
             header :matches "subject" ["*make*money*fast*", "*university*dipl*mas*"]) {
  fileinto "spam";
} else { fileinto "personal"; }`;
  const list = mail('Sender: owner-ietf-mta-filters@imc.org\nTo: me@example.com\nSubject: x');
  assert.deepEqual(actions(script, list), [fileinto('filter')]);
  assert.deepEqual(actions(script, mail('From: boss@example.com\nTo: me@other.example')), [KEEP]);
  assert.deepEqual(actions(script, mail('From: a@b.example\nTo: x@y.example')), [fileinto('spam')]);
  const spam = mail(
    'From: a@b.example\nTo: x@y.example\nCc: me@example.com\nSubject: How to MAKE MONEY FAST today',
  );
  assert.deepEqual(actions(script, spam), [fileinto('spam')]);
  assert.deepEqual(actions(script, mail('From: a@b.example\nCc: me@example.com\nSubject: hi')), [
    fileinto('personal'),
  ]);
});

test('stop ends the script; the implicit keep is taken if nothing cancelled it', () => {
  assert.deepEqual(run('stop; discard;'), { actions: [KEEP], implicitKeep: true });
  assert.deepEqual(run('discard; stop; keep;'), { actions: [{ type: 'discard' }], implicitKeep: false });
});

test('keep and fileinto "INBOX" collapse into one keep; duplicates collapse; last flags win', () => {
  assert.deepEqual(actions('require "fileinto"; keep; fileinto "INBOX"; fileinto "inbox";'), [KEEP]);
  assert.deepEqual(actions('require "fileinto"; fileinto "a"; fileinto "a"; fileinto "b"; fileinto "a";'), [
    fileinto('a'),
    fileinto('b'),
  ]);
  assert.deepEqual(
    actions('redirect "x@example.net"; redirect "X@Example.NET"; redirect "<x@example.net>";'),
    [{ type: 'redirect', address: 'x@example.net' }],
  );
  assert.deepEqual(
    actions(
      'require ["fileinto", "imap4flags"]; fileinto :flags "\\\\Seen" "a"; fileinto :flags "\\\\Flagged" "a";',
    ),
    [fileinto('a', ['\\Flagged'])],
  );
});

test('discard with fileinto still files (RFC 5228 4.4); discard is listed once', () => {
  assert.deepEqual(run('require "fileinto"; discard; fileinto "x"; discard;'), {
    actions: [{ type: 'discard' }, fileinto('x')],
    implicitKeep: false,
  });
});

test('redirect takes "phrase <addr-spec>" and a bad address is a runtime error at the command', () => {
  assert.deepEqual(actions('redirect "Bart Simpson <bart@example.com>";'), [
    { type: 'redirect', address: 'bart@example.com' },
  ]);
  const error = runtimeError('keep;\n  redirect "not an address";');
  assert.deepEqual([error.line, error.column], [2, 3]);
  assert.match(error.message, /line 2, column 3: "not an address" is not an address/);
});

// --- tests ------------------------------------------------------------------------------------

test('header: RFC 5228 5.7 X-Caffeine, whitespace trimmed, absent headers match nothing', () => {
  const msg = mail('X-Caffeine: C8H10N4O2\nTo: rcpt@example.com\nX-Pad:    padded   ');
  const check = (test: string) => run(`if ${test} { discard; }`, msg).implicitKeep === false;
  assert.equal(check('header :is ["X-Caffeine"] [""]'), false);
  assert.equal(check('header :contains ["X-Caffeine"] [""]'), true);
  assert.equal(check('header :is "x-pad" "padded"'), true);
  assert.equal(check('header :contains "X-Absent" ""'), false);
  assert.equal(check('not header :matches "Cc" "?*"'), true);
  assert.equal(check('header :is "From:" ""'), false);
});

test('header: RFC 2047 encoded-words are decoded before comparing', () => {
  const msg = mail('Subject: =?UTF-8?B?w4RwZmVsIHVuZCBCaXJuZW4=?= =?ISO-8859-1?Q?f=FCr_dich?=\nTo: r@x');
  assert.equal(
    run('if header :is "subject" "Äpfel und Birnenfür dich" { discard; }', msg).implicitKeep,
    false,
  );
  assert.equal(run('if header :contains "subject" "für" { discard; }', msg).implicitKeep, false);
});

test('comparators: i;ascii-casemap by default, i;octet is case-sensitive, i;ascii-numeric by number', () => {
  const msg = mail('Subject: You can MAKE MONEY FAST\nX-Count: 0042 things');
  const check = (test: string, extra = '') =>
    run(`${extra}if ${test} { discard; }`, msg).implicitKeep === false;
  assert.equal(check('header :contains "Subject" "make money fast"'), true);
  assert.equal(check('header :contains :comparator "i;octet" "Subject" "MAKE MONEY FAST"'), true);
  assert.equal(check('header :contains :comparator "i;octet" "Subject" "Make Money Fast"'), false);
  const numeric = 'require "comparator-i;ascii-numeric";\n';
  assert.equal(check('header :is :comparator "i;ascii-numeric" "X-Count" "42"', numeric), true);
  assert.equal(
    check('header :is :comparator "i;ascii-numeric" "Subject" "x"', numeric),
    true,
    'both infinite',
  );
  // The validator refuses a substring match with i;ascii-numeric; an unvalidated tree fails at run time.
  const text = `${numeric}if header :contains :comparator "i;ascii-numeric" "X-Count" "4" { keep; }`;
  const result = parseSieve(text);
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.errors[0]!.reason, /cannot be used with :contains/);
  assert.throws(() => runSieve(parseScript(text), msg, OPTIONS), /cannot be used with :contains/);
});

test(':matches: * and ? with escapes, whole-value anchoring', () => {
  const msg = mail('Subject: a*b?c\\d\nX-Long: ' + 'a'.repeat(5000));
  const check = (key: string, header = 'Subject') =>
    run(`if header :matches "${header}" "${key}" { discard; }`, msg).implicitKeep === false;
  assert.equal(check('a*'), true);
  assert.equal(check('*d'), true);
  assert.equal(check('a?b*'), true);
  assert.equal(check('a\\\\*b\\\\?c\\\\\\\\d'), true, 'escaped wildcards and backslash');
  assert.equal(check('a\\\\*x*'), false);
  assert.equal(check('b*'), false);
  assert.equal(check('???????'), true);
  assert.equal(check('????????'), false);
  // A pattern that makes backtracking regexps explode finishes at once here.
  const started = Date.now();
  assert.equal(check('*a*a*a*a*a*a*a*a*b', 'X-Long'), false);
  assert.ok(Date.now() - started < 2000);
});

test('address: :all, :localpart and :domain over display names, comments and groups', () => {
  const msg = mail(
    'From: "Coyote, Wile E." <Coyote@Desert.Example.ORG> (genius)\n' +
      'To: team: a@one.example, "b c"@two.example;, undisclosed-recipients:;\n' +
      'Cc: plain@three.example\nSubject: tim@example.com',
  );
  const check = (test: string) => run(`if ${test} { discard; }`, msg).implicitKeep === false;
  assert.equal(check('address :is :all "from" "coyote@desert.example.org"'), true);
  assert.equal(check('address :is :localpart "from" "coyote"'), true);
  assert.equal(check('address :is :localpart :comparator "i;octet" "from" "coyote"'), false);
  assert.equal(check('address :is :domain "from" "desert.example.org"'), true);
  assert.equal(check('address :contains "from" "Wile"'), false, 'the phrase is never matched');
  assert.equal(check('address :is :domain "to" "two.example"'), true);
  assert.equal(check('address :is "to" "\\"b c\\"@two.example"'), true);
  assert.equal(check('address :contains "to" "team"'), false, 'group names are never matched');
  assert.equal(check('address :is ["to", "cc"] "plain@three.example"'), true);
  assert.equal(check('address :is "subject" "tim@example.com"'), false, 'Subject holds no addresses');
});

test('envelope: from, to, address parts and the null sender', () => {
  const env = 'require "envelope";\n';
  const msg = mail(PERSONAL, 'x', { from: 'Tim@Example.COM', to: 'rcpt+tag@example.com' });
  const check = (test: string, m = msg) => run(`${env}if ${test} { discard; }`, m).implicitKeep === false;
  assert.equal(check('envelope :all :is "from" "tim@example.com"'), true);
  assert.equal(check('envelope :domain :is "to" "example.com"'), true);
  assert.equal(check('envelope :localpart :is "to" "rcpt+tag"'), true);
  const bounce = mail(PERSONAL, 'x', { from: '' });
  assert.equal(check('envelope :is "from" ""', bounce), true);
  assert.equal(check('envelope :domain :is "from" ""', bounce), true);
  const bogus = parseSieve(`${env}if envelope :is "bogus" "" { discard; }`);
  assert.match(bogus.ok ? '' : bogus.errors[0]!.reason, /unknown envelope part "bogus"/);
});

test('exists, size, true/false, allof, anyof, not', () => {
  assert.equal(run('if not exists ["From","Date"] { discard; }').implicitKeep, true, 'A has both');
  assert.equal(run('if not exists ["From","Date"] { discard; }', mail('From: x@y')).implicitKeep, false);
  const exact = { ...MESSAGE_A, size: 4000 };
  assert.equal(run('if anyof (size :over 4000, size :under 4000) { discard; }', exact).implicitKeep, true);
  assert.equal(run('if size :under 4001 { discard; }', exact).implicitKeep, false);
  assert.equal(run('if size :over 1K { discard; }', { ...MESSAGE_A, size: 1025 }).implicitKeep, false);
  const truthy = (test: string) => run(`if ${test} { discard; }`).implicitKeep === false;
  assert.deepEqual(['allof (false, false)', 'allof (false, true)', 'allof (true, true)'].map(truthy), [
    false,
    false,
    true,
  ]);
  assert.deepEqual(['anyof (false, false)', 'anyof (false, true)', 'anyof (true, true)'].map(truthy), [
    false,
    true,
    true,
  ]);
  assert.deepEqual(['not true', 'not false', 'true', 'false'].map(truthy), [false, true, true, false]);
});

// --- variables (RFC 5229) ----------------------------------------------------------------------

test('RFC 5229 3.2: match variables from :matches, non-greedy, ${0} the whole value', () => {
  const script = `require ["fileinto", "variables"];
if header :matches "List-ID" "*<*@*" { fileinto "INBOX.lists.\${2}"; stop; }
if header :matches "Subject" "[*] *" { fileinto "INBOX.lists.\${1}"; stop; }
if address :matches ["To", "Cc"] ["coyote@**.com", "wile@**.com"] {
  fileinto "INBOX.business.\${2}.\${1}.\${0}"; stop;
}`;
  const list = mail('List-ID: Sieve list <sieve.ietf.example.org@lists.example.org>');
  assert.deepEqual(actions(script, list), [fileinto('INBOX.lists.sieve.ietf.example.org')]);
  const subject = mail('Subject: [acme-users] [fwd] version 1.0 is out');
  assert.deepEqual(actions(script, subject), [fileinto('INBOX.lists.acme-users')]);
  const to = mail('To: coyote@ACME.Example.COM');
  assert.deepEqual(actions(script, to), [fileinto('INBOX.business.ACME.Example..coyote@ACME.Example.COM')]);
});

test('RFC 5229 3.2: a test that is not evaluated sets no match variables; ? captures one character', () => {
  const script = `require ["variables", "fileinto"];
if header :matches "Subject" "?ello*" { set "first" "\${1}-\${2}"; }
if anyof (true, address :domain :matches "To" "*.com") { fileinto "\${first}|\${1}|\${9}"; }`;
  assert.deepEqual(actions(script, mail('Subject: Hello world\nTo: a@b.com')), [fileinto('H- world|H|')]);
});

test('RFC 5229: expansion is one pass; unknown variables are empty; names are case-insensitive', () => {
  const script = `require ["variables", "fileinto"];
set "company" "ACME";
fileinto "\${BAD\${Company}|\${full}|\${COMPANY}|&%\${}!|\${doh!}|\${President, \${Company} Inc.}";`;
  assert.deepEqual(actions(script), [fileinto('${BADACME||ACME|&%${}!|${doh!}|${President, ACME Inc.}')]);
  // Without require "variables" strings are literal.
  assert.deepEqual(actions('require "fileinto"; fileinto "${x}";'), [fileinto('${x}')]);
});

test('RFC 5229 4.1: set modifiers apply by precedence', () => {
  const script = `require ["variables", "fileinto"];
set "a" "juMBlEd lETteRS";
set :length "b" "\${a}"; fileinto "\${b}";
set :lower "b" "\${a}"; fileinto "\${b}";
set :upperfirst "b" "\${a}"; fileinto "\${b}";
set :lower :upperfirst "b" "\${a}"; fileinto "\${b}";
set :upperfirst :lower "b" "\${a}"; fileinto "\${b}";
set :quotewildcard "b" "Rock*"; fileinto "\${b}";
set :upper "b" "ärger"; fileinto "\${b}";
set :length :lower "b" "Ünïcödé"; fileinto "\${b}";
set :lowerfirst "b" "ABC"; fileinto "\${b}";`;
  assert.deepEqual(
    actions(script).map((action) => (action as { mailbox: string }).mailbox),
    ['15', 'jumbled letters', 'JuMBlEd lETteRS', 'Jumbled letters', 'Rock\\*', 'äRGER', '7', 'aBC'],
  );
});

test('RFC 5229 5: the string test, with :count counting non-empty strings', () => {
  const script = `require ["variables", "relational", "comparator-i;ascii-numeric", "fileinto"];
set "state" "\${state} pending";
if string :matches " \${state} " "* pending *" { fileinto "always"; }
if string :count "eq" :comparator "i;ascii-numeric" ["\${state}", "", "x"] "2" { fileinto "two"; }
if string :is "\${unset}" "" { fileinto "empty"; }`;
  assert.deepEqual(actions(script), [fileinto('always'), fileinto('two'), fileinto('empty')]);
});

// --- relational (RFC 5231) ----------------------------------------------------------------------

test('relational :count and :value', () => {
  const msg = mail('Received: a\nReceived: b\nReceived: c\nTo: a@x.example, b@x.example\nX-Spam-Score: 12');
  const req = 'require ["relational", "comparator-i;ascii-numeric"];\n';
  const check = (test: string) => run(`${req}if ${test} { discard; }`, msg).implicitKeep === false;
  assert.equal(check('header :count "eq" :comparator "i;ascii-numeric" "received" "3"'), true);
  assert.equal(check('header :count "gt" :comparator "i;ascii-numeric" ["received", "to"] "3"'), true);
  assert.equal(check('address :count "eq" :comparator "i;ascii-numeric" "to" "2"'), true);
  assert.equal(check('header :value "gt" :comparator "i;ascii-numeric" "x-spam-score" "9"'), true);
  // Under the default i;ascii-casemap, "12" sorts before "9".
  assert.equal(check('header :value "gt" "x-spam-score" "9"'), false);
  assert.equal(check('header :value "lt" "x-spam-score" "9"'), true);
  assert.equal(check('header :value "ne" :comparator "i;ascii-numeric" "x-spam-score" "12"'), false);
});

// --- imap4flags (RFC 5232) --------------------------------------------------------------------

test('imap4flags: the internal variable flags keep, fileinto and the implicit keep', () => {
  const script = `require ["imap4flags", "fileinto"];
setflag "\\\\Seen";
addflag ["\\\\Flagged", "$Work  \\\\seen", "", "\\\\Recent", "bad(flag"];
fileinto "a";
removeflag "\\\\SEEN";
keep;`;
  assert.deepEqual(actions(script), [
    fileinto('a', ['\\Seen', '\\Flagged', '$Work']),
    { type: 'keep', flags: ['\\Flagged', '$Work'] },
  ]);
  assert.deepEqual(run('require "imap4flags"; addflag "$Later";'), {
    actions: [{ type: 'keep', flags: ['$Later'] }],
    implicitKeep: true,
  });
});

test('imap4flags with variables: RFC 5232 3.1 and 9 style flag variables and :flags', () => {
  const script = `require ["imap4flags", "variables", "fileinto"];
if header :contains "from" "boss@frobnitzm.example.edu" {
  setflag "flagvar" "\\\\Flagged";
  fileinto :flags "\${flagvar}" "INBOX.From Boss";
}
if size :over 1 {
  addflag "MyFlags" "Big";
  addflag "MyFlags" ["\\\\Answered", "$MDNSent"];
  removeflag "MyFlags" "big";
  keep :flags "\${MyFlags}";
}`;
  assert.deepEqual(actions(script, mail('From: boss@frobnitzm.example.edu')), [
    fileinto('INBOX.From Boss', ['\\Flagged']),
    { type: 'keep', flags: ['\\Answered', '$MDNSent'] },
  ]);
});

test('hasflag: RFC 5232 4 examples', () => {
  const script = (
    test: string,
  ) => `require ["imap4flags", "variables", "relational", "comparator-i;ascii-numeric"];
set "MyVar" "NonJunk Junk gnus-forward $Forwarded NotJunk JunkRecorded $Junk $NotJunk";
set "MyFlags" "A B";
setflag "A B";
if ${test} { discard; }`;
  const truthy = (test: string) => run(script(test)).implicitKeep === false;
  for (const test of [
    'hasflag :is "b A"',
    'hasflag ["b","A"]',
    'hasflag :contains "MyVar" "Junk"',
    'hasflag :contains "MyVar" "forward"',
    'hasflag :contains "MyVar" ["label", "forward"]',
    'hasflag :contains "MyVar" ["junk", "forward"]',
    'hasflag :contains "MyVar" "junk forward"',
    'hasflag :count "ge" :comparator "i;ascii-numeric" "MyFlags" "2"',
    // The count of several variables is the sum of their counts (8 + 2).
    'hasflag :count "eq" :comparator "i;ascii-numeric" ["MyVar", "MyFlags"] "10"',
  ]) {
    assert.equal(truthy(test), true, test);
  }
  for (const test of [
    'hasflag :contains "MyVar" "label"',
    'hasflag :contains "MyVar" ["label1", "label2"]',
    'hasflag "C"',
  ]) {
    assert.equal(truthy(test), false, test);
  }
});

test('imap4flags: a variable name without require "variables" is a runtime error', () => {
  const error = runtimeError('require "imap4flags";\nsetflag "flagvar" "\\\\Seen";');
  assert.equal(error.line, 2);
  assert.match(error.reason, /"variables" is not required/);
});

// --- body (RFC 5173) ----------------------------------------------------------------------------

test('body: :raw, :text and :content against the parts', () => {
  const raw = `--outer
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: quoted-printable

Meet me at the project schedule=20review about the missile
--outer
Content-Type: audio/mp3

AAAA
--outer--
`;
  const msg = message(
    `From: a@b.example\nTo: rcpt@example.com\nContent-Type: multipart/mixed; boundary=outer\n\n${raw}`,
    {
      parts: [
        { contentType: 'text/plain', text: 'Meet me at the project schedule review about the missile\n' },
        { contentType: 'text/html', text: '<p>COORDINATES</p>' },
        { contentType: 'audio/mp3', text: '\u0000\u0001' },
      ],
    },
  );
  const req = 'require ["body", "fileinto", "variables"];\n';
  const filed = (script: string) => actions(req + script, msg);
  assert.deepEqual(filed('if body :text :contains "project schedule" { fileinto "project/schedule"; }'), [
    fileinto('project/schedule'),
  ]);
  assert.deepEqual(filed('if body :contains "coordinates" { fileinto "html"; }'), [fileinto('html')]);
  assert.deepEqual(
    filed('if body :content "text" :contains ["missile", "coordinates"] { fileinto "secrets"; }'),
    [fileinto('secrets')],
  );
  assert.deepEqual(filed('if body :content "audio/mp3" :contains "" { fileinto "jukebox"; }'), [
    fileinto('jukebox'),
  ]);
  assert.deepEqual(filed('if body :content "text/plain" :contains "COORDINATES" { discard; }'), [KEEP]);
  assert.deepEqual(filed('if body :content ["image", "/plain", "text/plain/x"] :contains "" { discard; }'), [
    KEEP,
  ]);
  assert.deepEqual(filed('if body :raw :contains "schedule=20review" { fileinto "raw"; }'), [
    fileinto('raw'),
  ]);
  assert.deepEqual(filed('if body :raw :contains "schedule review" { discard; }'), [KEEP]);
  // RFC 5173 6: the body test never sets match variables.
  assert.deepEqual(filed('if body :matches "*missile*" { fileinto "m${1}"; }'), [fileinto('m')]);
});

test('body: scriptNeeds says when the body and size are needed; a missing body is an error', () => {
  const withBody = compile('require "body"; if body :contains "x" { discard; }');
  const withSize = compile('if anyof (false, not size :over 10) { discard; }');
  assert.deepEqual(scriptNeeds([withBody]), { body: true, size: false, mailboxes: false });
  assert.deepEqual(scriptNeeds([withSize]), { body: false, size: true, mailboxes: false });
  assert.deepEqual(scriptNeeds([withBody, withSize]), { body: true, size: true, mailboxes: false });
  assert.deepEqual(scriptNeeds([compile('keep;')]), { body: false, size: false, mailboxes: false });
  const nested = compile('require "mailbox";\nif true { if mailboxexists "Work" { keep; } }');
  assert.deepEqual(scriptNeeds([nested]), { body: false, size: false, mailboxes: true });
  const { body: _body, ...headersOnly } = MESSAGE_A;
  assert.throws(() => runSieve(withBody, headersOnly, OPTIONS), SieveRuntimeError);
});

// --- copy, mailbox (RFC 3894, RFC 5490) ---------------------------------------------------------

test(':copy keeps the implicit keep for redirect and fileinto', () => {
  assert.deepEqual(run('require "copy"; redirect :copy "x@example.net";'), {
    actions: [{ type: 'redirect', address: 'x@example.net' }, KEEP],
    implicitKeep: true,
  });
  assert.deepEqual(run('require ["copy", "fileinto"]; fileinto :copy "Archive";'), {
    actions: [fileinto('Archive'), KEEP],
    implicitKeep: true,
  });
  assert.deepEqual(run('require ["copy", "fileinto"]; fileinto :copy "INBOX";'), {
    actions: [KEEP],
    implicitKeep: true,
  });
});

test('fileinto :create and mailboxexists', () => {
  const options = { ...OPTIONS, existingMailboxes: new Set(['Lists', 'Lists/Sieve']) };
  const script = `require ["fileinto", "mailbox"];
if mailboxexists ["Lists", "Lists/Sieve"] { fileinto "Lists/Sieve"; }
if mailboxexists "Missing" { fileinto "never"; }
if mailboxexists "inbox" { fileinto :create "New/Box"; }`;
  assert.deepEqual(actions(script, MESSAGE_A, options), [
    fileinto('Lists/Sieve'),
    fileinto('New/Box', [], true),
  ]);
  assert.deepEqual(actions(script, MESSAGE_A, OPTIONS), [fileinto('New/Box', [], true)]);
});

// --- reject (RFC 5429) ------------------------------------------------------------------------

test('reject and ereject cancel the implicit keep', () => {
  assert.deepEqual(run('require "reject"; reject "go away";'), {
    actions: [{ type: 'reject', reason: 'go away', extended: false }],
    implicitKeep: false,
  });
  assert.deepEqual(
    actions(
      'require "ereject";\nif address "from" "coyote@desert.example.org" { ereject "I no longer accept mail from this address"; }',
    ),
    [{ type: 'reject', reason: 'I no longer accept mail from this address', extended: true }],
  );
  assert.deepEqual(actions('require "reject"; discard; reject "x";'), [
    { type: 'discard' },
    { type: 'reject', reason: 'x', extended: false },
  ]);
});

test('reject conflicts with keep, fileinto, redirect, vacation and a second reject (RFC 5429 2.4)', () => {
  const cases: [string, RegExp][] = [
    ['require "reject";\nkeep;\nreject "x";', /"reject" cannot be combined with keep, fileinto or redirect/],
    ['require "reject";\nreject "x";\nkeep;', /"keep" cannot be combined with reject/],
    ['require ["reject", "fileinto"];\nreject "x";\nfileinto "a";', /"fileinto" cannot be combined/],
    ['require ["reject", "copy"];\nredirect :copy "a@b.example";\nreject "x";', /cannot be combined/],
    ['require "reject";\nreject "x";\nreject "y";', /may run only once/],
    [
      'require ["reject", "vacation"];\nvacation "away";\nreject "x";',
      /"reject" cannot be combined with vacation/,
    ],
    [
      'require ["ereject", "vacation"];\nereject "x";\nvacation "away";',
      /"vacation" cannot be combined with reject/,
    ],
  ];
  for (const [script, reason] of cases) {
    const error = runtimeError(script, mail(PERSONAL));
    assert.match(error.reason, reason, script);
    assert.deepEqual([error.line, error.column], [3, 1], script);
  }
});

// --- vacation (RFC 5230, RFC 3834) --------------------------------------------------------------

const VACATION = 'require "vacation";\nvacation "I am away";';

function vacationOf(outcome: SieveOutcome) {
  return outcome.actions.find((action) => action.type === 'vacation');
}

test('vacation: a reply to a personal message, with the RFC 5230 defaults', () => {
  const outcome = run(VACATION, mail(PERSONAL));
  assert.equal(outcome.implicitKeep, true, 'vacation does not cancel the implicit keep');
  const reply = vacationOf(outcome);
  assert.ok(reply);
  assert.deepEqual(
    { ...reply, handle: typeof reply.handle },
    {
      type: 'vacation',
      to: 'sender@example.org',
      subject: 'Auto: lunch?',
      from: null,
      reason: 'I am away',
      mime: false,
      handle: 'string',
      seconds: 7 * 86400,
    },
  );
  assert.deepEqual(outcome.actions[1], KEEP);
  // No Subject: a fixed one.
  assert.equal(vacationOf(run(VACATION, mail('To: rcpt@example.com')))?.subject, 'Automated reply');
});

test('vacation: :days (at least 1), :subject, :from, :mime, :handle', () => {
  const script = `require "vacation";
vacation :days 23 :subject "Gone fishing" :from "hemingway@example.com" :mime :handle "ran-away" text:
Content-Type: text/plain

Back soon.
.
;`;
  const reply = vacationOf(run(script, mail(PERSONAL)));
  assert.deepEqual(reply, {
    type: 'vacation',
    to: 'sender@example.org',
    subject: 'Gone fishing',
    from: 'hemingway@example.com',
    reason: 'Content-Type: text/plain\r\n\r\nBack soon.\r\n',
    mime: true,
    handle: 'ran-away',
    seconds: 23 * 86400,
  });
  assert.equal(vacationOf(run('require "vacation"; vacation :days 0 "x";', mail(PERSONAL)))?.seconds, 86400);
});

test('vacation: the derived handle depends on the arguments as written, not as expanded (RFC 5230 4.2)', () => {
  const script = `require ["vacation", "variables"];
if header :matches "subject" "*" {
  vacation :subject "Automatic response to: \${1}" "I'm away -- send mail to foo in my absence";
}`;
  const lunch = vacationOf(run(script, mail(PERSONAL)));
  const dinner = vacationOf(run(script, mail(PERSONAL.replace('lunch?', 'dinner?'))));
  assert.equal(lunch?.subject, 'Automatic response to: lunch?');
  assert.equal(dinner?.subject, 'Automatic response to: dinner?');
  assert.equal(lunch?.handle, dinner?.handle);
  const cyrus = `require "vacation";
if header :contains "subject" "cyrus" { vacation "I'm out -- send mail to cyrus-bugs"; }
else { vacation "I'm out -- call me at +1 304 555 0123"; }`;
  const bug = vacationOf(run(cyrus, mail(PERSONAL.replace('lunch?', 'Cyrus bug'))));
  const other = vacationOf(run(cyrus, mail(PERSONAL)));
  assert.notEqual(bug?.handle, other?.handle, 'different responses are tracked apart');
  // The same text given to different parameters must not give the same handle.
  const a = vacationOf(run('require "vacation"; vacation :subject "x@example.com" "y";', mail(PERSONAL)));
  const b = vacationOf(run('require "vacation"; vacation :from "x@example.com" "y";', mail(PERSONAL)));
  assert.notEqual(a?.handle, b?.handle);
});

test("vacation: only when one of the user's addresses (or :addresses, or RCPT TO) is a recipient", () => {
  const notMine = mail(PERSONAL.replace('To: Recipient <rcpt@example.com>', 'To: someone@else.example'));
  const outcome = run(VACATION, notMine, { userAddresses: ['rcpt@example.com'] });
  assert.equal(vacationOf(outcome), undefined);
  assert.match(outcome.vacationSkipped ?? '', /none of the user/);
  assert.deepEqual(outcome.actions, [KEEP]);
  // Bcc'd to us: the envelope recipient is ours even though no header names it.
  assert.equal(vacationOf(run(VACATION, notMine, { userAddresses: [] })), undefined);
  const viaEnvelope = mail(PERSONAL.replace('rcpt@example.com', 'alias@example.com'), 'x', {
    to: 'alias@example.com',
  });
  assert.ok(vacationOf(run(VACATION, viaEnvelope, { userAddresses: [] })));
  const viaAddresses =
    'require "vacation";\nvacation :addresses ["tjs@example.edu", "ts4z@landru.example.edu"] "away";';
  const toAlias = mail(PERSONAL.replace('rcpt@example.com', 'TS4Z@landru.example.edu'));
  assert.ok(vacationOf(run(viaAddresses, toAlias)));
  assert.equal(vacationOf(run(VACATION, toAlias)), undefined);
  for (const header of ['Cc', 'Bcc', 'Resent-To', 'Resent-Cc', 'Resent-Bcc']) {
    const msg = mail(
      `From: friend@example.org\nTo: list@else.example\n${header}: Me <rcpt@example.com>\nSubject: hi`,
    );
    assert.ok(vacationOf(run(VACATION, msg)), header);
  }
});

test('vacation: never to the null sender, daemons, list software, bulk, list or auto-submitted mail', () => {
  const refused: [string, SieveMessage][] = [
    ['null sender', mail(PERSONAL, 'x', { from: '' })],
    ['MAILER-DAEMON', mail(PERSONAL, 'x', { from: 'MAILER-DAEMON@example.org' })],
    ['owner-', mail(PERSONAL, 'x', { from: 'owner-sieve@lists.example.org' })],
    ['-request', mail(PERSONAL, 'x', { from: 'sieve-request@lists.example.org' })],
    ['the user', mail(PERSONAL, 'x', { from: 'rcpt@example.com' })],
    ['auto-replied', mail(`${PERSONAL}\nAuto-Submitted: auto-replied`)],
    ['auto-generated', mail(`${PERSONAL}\nAuto-Submitted: auto-generated; owner-email="a@b"`)],
    ['bulk', mail(`${PERSONAL}\nPrecedence: bulk`)],
    ['list', mail(`${PERSONAL}\nPrecedence: List`)],
    ['junk', mail(`${PERSONAL}\nPrecedence: junk`)],
    ['List-Id', mail(`${PERSONAL}\nList-Id: <sieve.example.org>`)],
    ['List-Unsubscribe', mail(`${PERSONAL}\nList-Unsubscribe: <mailto:leave@example.org>`)],
    ['List-Post', mail(`${PERSONAL}\nList-Post: <mailto:list@example.org>`)],
  ];
  for (const [why, msg] of refused) {
    const outcome = run(VACATION, msg);
    assert.equal(vacationOf(outcome), undefined, why);
    assert.ok(outcome.vacationSkipped, why);
    assert.deepEqual(outcome.actions, [KEEP], why);
  }
  assert.ok(
    vacationOf(run(VACATION, mail(`${PERSONAL}\nAuto-Submitted: no`))),
    'Auto-Submitted: no is a person',
  );
  assert.ok(vacationOf(run(VACATION, mail(`${PERSONAL}\nPrecedence: first-class`))));
});

test('vacation: an invalid :from is a runtime error; a line break in :subject cannot start a header', () => {
  const error = runtimeError('require "vacation";\nvacation :from "not an address" "x";', mail(PERSONAL));
  assert.deepEqual([error.line, error.reason], [2, '":from" "not an address" is not an address']);
  const script =
    'require ["vacation", "variables"];\nif header :matches "X-Evil" "*" { vacation :subject "Re: ${1}" "x"; }';
  const evil = mail(`${PERSONAL}\nX-Evil: =?UTF-8?Q?a=0D=0ABcc:_victim@example.net?=`);
  assert.equal(vacationOf(run(script, evil))?.subject, 'Re: a Bcc: victim@example.net');
  const named = 'require "vacation";\nvacation :from "Hemingway <hemingway@example.com>" "x";';
  assert.equal(vacationOf(run(named, mail(PERSONAL)))?.from, 'Hemingway <hemingway@example.com>');
});

test('vacation runs once: a second vacation is a runtime error', () => {
  const error = runtimeError('require "vacation";\nvacation "a";\nvacation "b";', mail(PERSONAL));
  assert.deepEqual([error.line, error.reason], [3, '"vacation" may run only once']);
});

test('RFC 5230 4.8: the boss is redirected, everyone else gets a vacation reply', () => {
  const script = `require "vacation";
if header :contains "from" "boss@example.edu" {
    redirect "pleeb@isp.example.org";
} else {
    vacation "Sorry, I'm away, I'll read your
message when I get around to it.";
}`;
  assert.deepEqual(actions(script, mail('From: boss@example.edu\nTo: rcpt@example.com')), [
    { type: 'redirect', address: 'pleeb@isp.example.org' },
  ]);
  const reply = vacationOf(run(script, mail(PERSONAL)));
  assert.equal(reply?.reason, "Sorry, I'm away, I'll read your\nmessage when I get around to it.");
});

// --- several scripts (RFC 6609 include semantics) ------------------------------------------------

test('several scripts: actions accumulate and stop ends them all', () => {
  const first = 'require "fileinto"; fileinto "one";';
  const second = 'require "fileinto"; fileinto "two"; stop;';
  const third = 'require "fileinto"; fileinto "three";';
  assert.deepEqual(actions([first, second, third]), [fileinto('one'), fileinto('two')]);
});

test('several scripts: each has its own variables and match variables', () => {
  const first =
    'require ["variables", "fileinto"]; set "box" "first"; if header :matches "Subject" "I *" { fileinto "${box}-${1}"; }';
  const second = 'require ["variables", "fileinto"]; fileinto "second-${box}-${1}";';
  assert.deepEqual(actions([first, second]), [
    fileinto('first-have a present for you'),
    fileinto('second--'),
  ]);
});

test('several scripts: the implicit keep is cancelled if any script cancels it', () => {
  assert.deepEqual(run(['keep;', '']), { actions: [KEEP], implicitKeep: false });
  assert.deepEqual(run(['', 'discard;']), { actions: [{ type: 'discard' }], implicitKeep: false });
  assert.deepEqual(run(['require "imap4flags"; addflag "$Seen1";', 'if false { discard; }']), {
    actions: [{ type: 'keep', flags: ['$Seen1'] }],
    implicitKeep: true,
  });
  assert.deepEqual(run([]), { actions: [KEEP], implicitKeep: true });
});

// --- limits -----------------------------------------------------------------------------------

test('too many redirects or actions is a runtime error at the command that went over', () => {
  const redirects = Array.from({ length: 6 }, (_, index) => `redirect "r${index}@example.net";`).join('\n');
  const error = runtimeError(redirects);
  assert.deepEqual([error.line, error.column, error.reason], [6, 1, 'more than 5 redirects']);
  assert.equal(actions(redirects, MESSAGE_A, { ...OPTIONS, maxRedirects: 6 }).length, 6);
  const files = `require "fileinto";\n${Array.from({ length: 4 }, (_, index) => `fileinto "f${index}";`).join('\n')}`;
  const tooMany = runtimeError(files, MESSAGE_A, { ...OPTIONS, maxActions: 3 });
  assert.deepEqual([tooMany.line, tooMany.reason], [5, 'more than 3 actions']);
  assert.ok(tooMany instanceof Error);
  // With several scripts the error says which one failed.
  const second = runtimeError(['keep;', 'require "reject";\nreject "no";']);
  assert.deepEqual([second.scriptIndex, second.line], [1, 2]);
  assert.equal(runtimeError(redirects).scriptIndex, 0);
  assert.equal(tooMany.name, 'SieveRuntimeError');
});

test('every valid RFC example script runs against messages A and B', () => {
  for (const example of RFC_EXAMPLES.filter((candidate) => candidate.valid)) {
    for (const msg of [MESSAGE_A, MESSAGE_B]) {
      const outcome = runSieve(compile(example.script), msg, { userAddresses: [msg.envelope.to] });
      const name = `RFC ${example.rfc} ${example.name}`;
      assert.ok(outcome.actions.length > 0, name);
      if (outcome.implicitKeep)
        assert.ok(
          outcome.actions.some((action) => action.type === 'keep'),
          name,
        );
    }
  }
});
