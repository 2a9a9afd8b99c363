import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSieve, runSieve, type Command, type Script, type SieveMessage } from '@wildduck/sieve';
import { defaultMailSettings, type FilterRule, type MailSettings } from '@wildduck/store';
import { settingsToSieve, vacationActive } from '@wildduck/mail-service';

const NOW = new Date('2026-12-10T12:00:00Z');

function settingsWith(changes: Partial<MailSettings>): MailSettings {
  return { ...defaultMailSettings(), ...changes };
}

let ids = 0;
function rule(changes: Partial<FilterRule>): FilterRule {
  return {
    id: String(++ids),
    name: 'a rule',
    enabled: true,
    field: 'subject',
    match: 'contains',
    value: 'invoice',
    actions: [{ type: 'move', mailbox: 'Invoices' }],
    stop: false,
    ...changes,
  };
}

/** Parses the generated text; fails the test with the errors when it does not parse. */
function parsed(text: string): Script {
  const result = parseSieve(text);
  if (!result.ok)
    assert.fail(`does not parse: ${result.errors.map((error) => error.message).join('; ')}\n${text}`);
  return result.script;
}

/** Every command, depth first. */
function commands(script: Script): Command[] {
  const all: Command[] = [];
  const walk = (list: Command[]) => {
    for (const command of list) {
      all.push(command);
      if (command.block) walk(command.block);
    }
  };
  walk(script.commands);
  return all;
}

/** The string values of a command's arguments, in order. */
function strings(command: { arguments: Command['arguments'] }): string[] {
  return command.arguments.flatMap((argument) =>
    argument.type === 'stringList' ? argument.values.map((value) => value.value) : [],
  );
}

const requireLine = (script: Script) => commands(script).filter((command) => command.name === 'require');

test('nothing set, or only disabled things, is the empty script', () => {
  assert.equal(settingsToSieve(defaultMailSettings(), NOW), '');
  const disabled = settingsWith({
    filterRules: [rule({ enabled: false })],
    forwarding: { enabled: false, addresses: ['far@example.net'], keepCopy: true },
    vacation: { ...defaultMailSettings().vacation, enabled: false, text: 'away' },
  });
  assert.equal(settingsToSieve(disabled, NOW), '');
});

test('every rule action, forwarding and vacation together parse, with one require line of exactly what is used', () => {
  const settings = settingsWith({
    filterRules: [
      rule({
        field: 'from',
        match: 'contains',
        value: 'shop',
        actions: [{ type: 'move', mailbox: 'Shops/Orders' }],
      }),
      rule({ field: 'to', match: 'is', value: 'me@example.com', actions: [{ type: 'markRead' }] }),
      rule({ field: 'cc', match: 'contains', value: 'boss', actions: [{ type: 'flag' }] }),
      rule({
        field: 'subject',
        match: 'is',
        value: 'ping',
        actions: [{ type: 'forward', address: 'x@example.net' }],
      }),
      rule({
        field: 'from',
        match: 'is',
        value: 'spam@example.org',
        actions: [{ type: 'discard' }],
        stop: true,
      }),
    ],
    forwarding: { enabled: true, addresses: ['a@example.net', 'b@example.net'], keepCopy: true },
    vacation: {
      enabled: true,
      subject: 'Away',
      text: 'Back soon.',
      start: null,
      end: null,
      days: 5,
    },
  });
  const text = settingsToSieve(settings, NOW);
  const script = parsed(text);
  const requires = requireLine(script);
  assert.equal(requires.length, 1);
  assert.deepEqual(strings(requires[0]!), ['fileinto', 'mailbox', 'imap4flags', 'copy', 'vacation']);

  const ifs = script.commands.filter((command) => command.name === 'if');
  assert.equal(ifs.length, 5);
  const tests = ifs.map((command) => {
    const [first] = command.tests;
    const tags = first!.arguments.filter((argument) => argument.type === 'tag').map((tag) => tag.name);
    return [first!.name, tags.join(' '), ...strings(first!)].join(' ');
  });
  assert.deepEqual(tests, [
    'header contains from shop',
    'address all is to me@example.com',
    'header contains cc boss',
    'header is subject ping',
    'address all is from spam@example.org',
  ]);
  const bodies = ifs.map((command) => command.block!.map((each) => [each.name, ...strings(each)].join(' ')));
  assert.deepEqual(bodies, [
    ['fileinto Shops/Orders'],
    ['addflag \\Seen'],
    ['addflag \\Flagged'],
    ['redirect x@example.net'],
    ['discard', 'stop'],
  ]);
  const fileinto = ifs[0]!.block![0]!;
  assert.ok(fileinto.arguments.some((argument) => argument.type === 'tag' && argument.name === 'create'));

  // forwarding keeps a copy: redirect :copy each, after the rules; then the vacation reply
  const top = script.commands.filter((command) => command.name !== 'if' && command.name !== 'require');
  assert.deepEqual(
    top.map((command) => [command.name, ...strings(command)].join(' ')),
    ['redirect a@example.net', 'redirect b@example.net', 'vacation Away Back soon.'],
  );
  for (const redirect of top.slice(0, 2))
    assert.ok(redirect.arguments.some((argument) => argument.type === 'tag' && argument.name === 'copy'));
  const days = top[2]!.arguments.find((argument) => argument.type === 'number');
  assert.equal(days?.type === 'number' && days.value, 5);
});

test('flags are added before the rule files the message, whatever order the form listed them in', () => {
  const settings = settingsWith({
    filterRules: [
      rule({ actions: [{ type: 'move', mailbox: 'Done' }, { type: 'markRead' }, { type: 'flag' }] }),
    ],
  });
  const [block] = parsed(settingsToSieve(settings, NOW)).commands.filter((command) => command.name === 'if');
  assert.deepEqual(
    block!.block!.map((command) => command.name),
    ['addflag', 'addflag', 'fileinto'],
  );
});

test('forwarding without a copy is a plain redirect (it cancels the implicit keep) and needs no extension', () => {
  const settings = settingsWith({
    forwarding: { enabled: true, addresses: ['far@example.net'], keepCopy: false },
  });
  const script = parsed(settingsToSieve(settings, NOW));
  assert.equal(requireLine(script).length, 0);
  const [redirect] = script.commands;
  assert.equal(redirect!.name, 'redirect');
  assert.deepEqual(strings(redirect!), ['far@example.net']);
  assert.ok(!redirect!.arguments.some((argument) => argument.type === 'tag'));
});

test('quotes, backslashes and line breaks in values come back exactly from the parsed script', () => {
  const nasty = 'say "hi" \\ back\\"slash';
  const settings = settingsWith({
    filterRules: [
      rule({
        name: 'evil\n} discard; {',
        value: nasty,
        actions: [{ type: 'move', mailbox: 'Quote"d\\Box' }],
      }),
      // a break in a header value cannot match anything real: it becomes a space, never Sieve
      rule({ value: 'line one\r\nline two";\ndiscard;#', actions: [{ type: 'flag' }] }),
    ],
    vacation: {
      enabled: true,
      subject: 'Out "of" office\r\nBcc: injected@example.com',
      text: 'First line,\nsecond "quoted" line \\o/\r\n\r\n-- \nme',
      start: null,
      end: null,
      days: 7,
    },
  });
  const script = parsed(settingsToSieve(settings, NOW));
  const ifs = script.commands.filter((command) => command.name === 'if');
  assert.equal(ifs.length, 2);
  assert.deepEqual(strings(ifs[0]!.tests[0]!), ['subject', nasty]);
  assert.deepEqual(strings(ifs[0]!.block![0]!), ['Quote"d\\Box']);
  assert.deepEqual(strings(ifs[1]!.tests[0]!), ['subject', 'line one line two"; discard;#']);
  // no command slipped out of a string or a comment
  assert.deepEqual(
    commands(script).map((command) => command.name),
    ['require', 'if', 'fileinto', 'if', 'addflag', 'vacation'],
  );
  const vacation = script.commands.find((command) => command.name === 'vacation')!;
  assert.deepEqual(strings(vacation), [
    'Out "of" office Bcc: injected@example.com',
    'First line,\r\nsecond "quoted" line \\o/\r\n\r\n-- \r\nme',
  ]);
});

test('the vacation reply is written only within its start..end window', () => {
  const vacation = {
    enabled: true,
    subject: '',
    text: 'Away.',
    start: new Date('2026-12-01T00:00:00Z'),
    end: new Date('2026-12-20T00:00:00Z'),
    days: 7,
  };
  const settings = settingsWith({ vacation });
  const at = (iso: string) => settingsToSieve(settings, new Date(iso));
  assert.equal(at('2026-11-30T23:59:59Z'), '');
  assert.match(at('2026-12-01T00:00:00Z'), /vacation :days 7 "Away\."/);
  assert.match(at('2026-12-10T00:00:00Z'), /vacation/);
  assert.match(at('2026-12-19T23:59:59.999Z'), /vacation/);
  assert.equal(at('2026-12-20T00:00:00Z'), '');

  // open ends
  assert.ok(vacationActive(settingsWith({ vacation: { ...vacation, start: null } }), new Date('2000-01-01')));
  assert.ok(vacationActive(settingsWith({ vacation: { ...vacation, end: null } }), new Date('2100-01-01')));
  assert.ok(!vacationActive(settingsWith({ vacation: { ...vacation, enabled: false } }), NOW));
  // an empty subject leaves :subject out (RFC 5230: "Auto: " and the original subject)
  assert.doesNotMatch(at('2026-12-10T00:00:00Z'), /:subject/);
  parsed(at('2026-12-10T00:00:00Z'));
});

test('a rule with nothing to do is left out; a rule that only stops is kept', () => {
  const settings = settingsWith({
    filterRules: [rule({ actions: [] }), rule({ actions: [], stop: true, value: 'stopper' })],
  });
  const script = parsed(settingsToSieve(settings, NOW));
  const ifs = script.commands.filter((command) => command.name === 'if');
  assert.equal(ifs.length, 1);
  assert.deepEqual(strings(ifs[0]!.tests[0]!), ['subject', 'stopper']);
  assert.deepEqual(
    ifs[0]!.block!.map((command) => command.name),
    ['stop'],
  );
});

test('fifty rules of every kind, with unicode values, parse', () => {
  const kinds: FilterRule['actions'][number][] = [
    { type: 'move', mailbox: 'Ärchiv/2026' },
    { type: 'markRead' },
    { type: 'flag' },
    { type: 'forward', address: 'z@example.net' },
    { type: 'discard' },
  ];
  const fields: FilterRule['field'][] = ['from', 'to', 'cc', 'subject'];
  const rules = Array.from({ length: 50 }, (_, index) =>
    rule({
      field: fields[index % 4]!,
      match: index % 2 ? 'is' : 'contains',
      value: `wert ${index} — ✓`,
      actions: [kinds[index % 5]!],
      stop: index % 7 === 0,
    }),
  );
  const script = parsed(settingsToSieve(settingsWith({ filterRules: rules }), NOW));
  assert.equal(script.commands.filter((command) => command.name === 'if').length, 50);
});

/** A message from `from` to me, with a subject, as the interpreter sees it. */
function message(from: string, subject: string): SieveMessage {
  return {
    headers: [
      { name: 'From', value: from },
      { name: 'To', value: 'Me <me@example.com>' },
      { name: 'Subject', value: subject },
    ],
    size: 100,
    envelope: { from: 'sender@example.org', to: 'me@example.com' },
  };
}

/** What the interpreter does with the settings' Sieve for that message. */
function outcome(settings: MailSettings, sent: SieveMessage) {
  const run = runSieve(parsed(settingsToSieve(settings, NOW)), sent, { userAddresses: ['me@example.com'] });
  return run.actions.map((action) => {
    switch (action.type) {
      case 'keep':
        return `keep ${action.flags.join(' ')}`.trim();
      case 'fileinto':
        return `fileinto ${action.mailbox} ${action.flags.join(' ')}`.trim();
      case 'redirect':
        return `redirect ${action.address}`;
      case 'vacation':
        return `vacation ${action.to}`;
      default:
        return action.type;
    }
  });
}

test('run by the interpreter: a matching rule files with its flags, forwarding and vacation follow', () => {
  const settings = settingsWith({
    filterRules: [
      rule({
        field: 'from',
        match: 'contains',
        value: 'Shop',
        actions: [{ type: 'move', mailbox: 'Orders' }, { type: 'markRead' }],
      }),
      rule({ field: 'from', match: 'is', value: 'boss@example.com', actions: [{ type: 'flag' }] }),
    ],
    forwarding: { enabled: true, addresses: ['far@example.net'], keepCopy: true },
    vacation: { enabled: true, subject: 'Away', text: 'Back soon.', start: null, end: null, days: 7 },
  });
  // "contains" sees the display name; the rule's flags go with the filed copy
  assert.deepEqual(outcome(settings, message('The Shop <orders@shop.example>', 'Your order')), [
    'fileinto Orders \\Seen',
    'redirect far@example.net',
    'vacation sender@example.org',
  ]);
  // "is" compares the address alone, whatever the display name; the implicit keep gets the flag
  const fromBoss = outcome(settings, message('The Boss <BOSS@example.com>', 'Hi'));
  assert.ok(fromBoss.includes('keep \\Flagged'), fromBoss.join('; '));
  assert.ok(fromBoss.includes('redirect far@example.net'));
});

test('run by the interpreter: forwarding without a copy keeps nothing; a stopping rule ends forwarding and vacation', () => {
  const settings = settingsWith({
    filterRules: [
      rule({
        field: 'subject',
        match: 'contains',
        value: 'newsletter',
        actions: [{ type: 'discard' }],
        stop: true,
      }),
    ],
    forwarding: { enabled: true, addresses: ['far@example.net'], keepCopy: false },
    vacation: { enabled: true, subject: '', text: 'Away.', start: null, end: null, days: 7 },
  });
  assert.deepEqual(outcome(settings, message('a@example.org', 'Hello')), [
    'redirect far@example.net',
    'vacation sender@example.org',
  ]);
  assert.deepEqual(outcome(settings, message('a@example.org', 'Weekly Newsletter')), ['discard']);
});
