import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import { parseSieve } from '@wildduck/sieve';
import { startApi, type ApiHarness } from './graphql-harness.js';

interface Account {
  address: string;
  id: string;
  token: string;
}

type GqlError = { message: string; extensions?: Record<string, unknown> };

let api: ApiHarness;
let alice: Account;
let bob: Account;

before(async () => {
  api = await startApi('mail-settings');
  alice = await account('alice@example.com');
  bob = await account('bob@example.com');
});

after(async () => {
  await api.close();
});

async function account(address: string): Promise<Account> {
  const id = await api.createUser(address);
  return { address, id, token: await api.signIn(address) };
}

/** The data of a call that must succeed. */
async function ok<T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<T> {
  const answer = await api.gql<T>(query, variables, token);
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  return answer.data!;
}

/** The one error of a call that must fail. */
async function refused(query: string, variables: Record<string, unknown>, token: string): Promise<GqlError> {
  const answer = await api.gql(query, variables, token);
  assert.ok(answer.errors?.length, `expected an error, got ${JSON.stringify(answer.data)}`);
  return answer.errors[0]!;
}

function assertBadInput(error: GqlError, field: string, message?: RegExp) {
  assert.equal(error.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(error));
  assert.equal(error.extensions?.field, field, JSON.stringify(error));
  if (message) assert.match(error.message, message);
}

const SETTINGS = `query {
  mailSettings {
    vacation { enabled subject text start end days }
    forwarding { enabled addresses keepCopy }
    filterRules { id name enabled field match value actions { type mailbox address } stop }
    generatedSieve
    lastFilterError { at script message }
  }
}`;

interface SettingsAnswer {
  mailSettings: {
    vacation: {
      enabled: boolean;
      subject: string;
      text: string;
      start: string | null;
      end: string | null;
      days: number;
    };
    forwarding: { enabled: boolean; addresses: string[]; keepCopy: boolean };
    filterRules: {
      id: string;
      name: string;
      enabled: boolean;
      field: string;
      match: string;
      value: string;
      actions: { type: string; mailbox: string | null; address: string | null }[];
      stop: boolean;
    }[];
    generatedSieve: string;
    lastFilterError: { at: string; script: string; message: string } | null;
  };
}

const settingsOf = async (who: Account) => (await ok<SettingsAnswer>(SETTINGS, {}, who.token)).mailSettings;

const SET_VACATION = `mutation ($input: VacationInput!) {
  setVacation(input: $input) { enabled subject text start end days }
}`;
const SET_FORWARDING = `mutation ($input: ForwardingInput!) {
  setForwarding(input: $input) { enabled addresses keepCopy }
}`;
const SET_RULES = `mutation ($rules: [FilterRuleInput!]!) {
  setFilterRules(rules: $rules) { id name enabled field match value actions { type mailbox address } stop }
}`;
const PUT_SCRIPT = `mutation ($name: String!, $content: String!, $activate: Boolean) {
  putSieveScript(name: $name, content: $content, activate: $activate) { name active size updated content }
}`;
const SCRIPTS = 'query { sieveScripts { name active size content } }';

const filtersStamp = async (who: Account): Promise<Date | undefined> =>
  (
    (await api.store.db.collection('users').findOne({ _id: new ObjectId(who.id) })) as {
      filtersUpdated?: Date;
    }
  )?.filtersUpdated;

test('a new user has the default settings and an empty generated Sieve', async () => {
  const settings = await settingsOf(alice);
  assert.deepEqual(settings.vacation, {
    enabled: false,
    subject: '',
    text: '',
    start: null,
    end: null,
    days: 7,
  });
  assert.deepEqual(settings.forwarding, { enabled: false, addresses: [], keepCopy: true });
  assert.deepEqual(settings.filterRules, []);
  assert.equal(settings.generatedSieve, '');
  assert.equal(settings.lastFilterError, null);
});

test('setVacation stores the reply, fields left out keep their values, and the Sieve shows it', async () => {
  const stampBefore = await filtersStamp(alice);
  const input = {
    enabled: true,
    subject: 'Out of office',
    text: 'Back on Monday.\nUrgent: call "Carol".',
    start: '2020-01-01T00:00:00.000Z',
    end: '2099-01-01T00:00:00.000Z',
    days: 3,
  };
  const saved = (await ok<{ setVacation: unknown }>(SET_VACATION, { input }, alice.token)).setVacation;
  assert.deepEqual(saved, input);
  const settings = await settingsOf(alice);
  assert.deepEqual(settings.vacation, input);
  assert.match(settings.generatedSieve, /vacation :days 3 :subject "Out of office"/);
  assert.ok(parseSieve(settings.generatedSieve).ok);
  const stampAfter = await filtersStamp(alice);
  assert.ok(stampAfter && (!stampBefore || stampAfter > stampBefore), 'the filters stamp moved');

  // only enabled given: the rest stays; an open end by null
  const off = (
    await ok<{ setVacation: typeof input }>(
      SET_VACATION,
      { input: { enabled: false, end: null } },
      alice.token,
    )
  ).setVacation;
  assert.deepEqual(off, { ...input, enabled: false, end: null });
  assert.equal((await settingsOf(alice)).generatedSieve, '');
});

test('setVacation refuses bad input naming the field, and changes nothing', async () => {
  const before = await settingsOf(bob);
  const cases: [Record<string, unknown>, string][] = [
    [{ enabled: true, text: 'away', days: 0 }, 'input.days'],
    [{ enabled: true, text: 'away', days: 31 }, 'input.days'],
    [{ enabled: true, text: 'away', subject: 'x'.repeat(201) }, 'input.subject'],
    [{ enabled: true, text: 'away', subject: 'two\nlines' }, 'input.subject'],
    [{ enabled: true, text: 'x'.repeat(20_001) }, 'input.text'],
    [{ enabled: true, text: '' }, 'input.text'],
    [
      { enabled: true, text: 'away', start: '2026-12-10T00:00:00Z', end: '2026-12-01T00:00:00Z' },
      'input.end',
    ],
  ];
  for (const [input, field] of cases)
    assertBadInput(await refused(SET_VACATION, { input }, bob.token), field);
  assert.deepEqual(await settingsOf(bob), before);
});

test('setForwarding stores lower-cased addresses once each, and refuses bad ones naming the field', async () => {
  const saved = (
    await ok<{ setForwarding: unknown }>(
      SET_FORWARDING,
      {
        input: {
          enabled: true,
          addresses: ['Far@Example.NET', 'far@example.net', 'near@example.org'],
          keepCopy: false,
        },
      },
      bob.token,
    )
  ).setForwarding;
  assert.deepEqual(saved, {
    enabled: true,
    addresses: ['far@example.net', 'near@example.org'],
    keepCopy: false,
  });
  const sieve = (await settingsOf(bob)).generatedSieve;
  assert.match(sieve, /redirect "far@example.net";\nredirect "near@example.org";/);
  assert.ok(parseSieve(sieve).ok);

  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ enabled: true, addresses: ['not an address'], keepCopy: true }, 'input.addresses[0]', /valid address/],
    [
      { enabled: true, addresses: ['ok@example.net', 'BOB@example.com'], keepCopy: true },
      'input.addresses[1]',
      /own/,
    ],
    [
      {
        enabled: true,
        addresses: ['a@x.net', 'b@x.net', 'c@x.net', 'd@x.net', 'e@x.net', 'f@x.net'],
        keepCopy: true,
      },
      'input.addresses',
      /at most 5/,
    ],
    [{ enabled: true, addresses: [], keepCopy: true }, 'input.addresses', /at least one/],
  ];
  for (const [input, field, message] of cases)
    assertBadInput(await refused(SET_FORWARDING, { input }, bob.token), field, message);
  assert.deepEqual((await settingsOf(bob)).forwarding, saved);
});

test('setFilterRules replaces the rules in order, keeps given ids, and writes them as Sieve', async () => {
  const rules = [
    {
      name: 'Invoices',
      enabled: true,
      field: 'subject',
      match: 'contains',
      value: 'invoice "2026"',
      actions: [{ type: 'move', mailbox: 'Finance/Invoices' }, { type: 'markRead' }],
      stop: true,
    },
    {
      name: 'Boss',
      enabled: true,
      field: 'from',
      match: 'is',
      value: 'boss@example.com',
      actions: [{ type: 'flag' }, { type: 'forward', address: 'Phone@Example.net' }],
    },
    {
      name: 'Off',
      enabled: false,
      field: 'to',
      match: 'contains',
      value: 'list',
      actions: [{ type: 'discard' }],
    },
  ];
  const saved = (
    await ok<{ setFilterRules: SettingsAnswer['mailSettings']['filterRules'] }>(
      SET_RULES,
      { rules },
      alice.token,
    )
  ).setFilterRules;
  assert.equal(saved.length, 3);
  assert.deepEqual(
    saved.map((rule) => [rule.name, rule.stop, rule.actions.map((action) => action.type).join(',')]),
    [
      ['Invoices', true, 'move,markRead'],
      ['Boss', false, 'flag,forward'],
      ['Off', false, 'discard'],
    ],
  );
  assert.deepEqual(saved[0]!.actions[0], { type: 'move', mailbox: 'Finance/Invoices', address: null });
  assert.deepEqual(saved[1]!.actions[1], { type: 'forward', mailbox: null, address: 'phone@example.net' });

  const settings = await settingsOf(alice);
  assert.deepEqual(settings.filterRules, saved);
  const sieve = settings.generatedSieve;
  assert.ok(parseSieve(sieve).ok, sieve);
  assert.match(sieve, /header :contains "subject" "invoice \\"2026\\""/);
  assert.match(sieve, /fileinto :create "Finance\/Invoices";/);
  assert.match(sieve, /redirect :copy "phone@example.net";/);
  assert.doesNotMatch(sieve, /discard/);

  // reorder with ids: the ids stay with their rules
  const reordered = [saved[1]!, saved[0]!].map(
    ({ id, name, enabled, field, match, value, actions, stop }) => ({
      id,
      name,
      enabled,
      field,
      match,
      value,
      stop,
      actions: actions.map(({ type, mailbox, address }) => ({ type, mailbox, address })),
    }),
  );
  const again = (
    await ok<{ setFilterRules: { id: string; name: string }[] }>(SET_RULES, { rules: reordered }, alice.token)
  ).setFilterRules;
  assert.deepEqual(
    again.map((rule) => [rule.id, rule.name]),
    [
      [saved[1]!.id, 'Boss'],
      [saved[0]!.id, 'Invoices'],
    ],
  );
});

test('setFilterRules refuses bad rules naming the field, and changes nothing', async () => {
  const before = (await settingsOf(alice)).filterRules;
  const good = {
    name: 'r',
    enabled: true,
    field: 'subject',
    match: 'contains',
    value: 'x',
    actions: [{ type: 'flag' }],
  };
  const cases: [unknown[], string][] = [
    [[good, { ...good, value: '' }], 'rules[1].value'],
    [[{ ...good, value: 'y'.repeat(501) }], 'rules[0].value'],
    [[{ ...good, actions: [{ type: 'move' }] }], 'rules[0].actions[0].mailbox'],
    [[{ ...good, actions: [{ type: 'move', mailbox: 'a//b' }] }], 'rules[0].actions[0].mailbox'],
    [
      [{ ...good, actions: [{ type: 'flag' }, { type: 'forward', address: 'nope' }] }],
      'rules[0].actions[1].address',
    ],
    [
      [{ ...good, actions: [{ type: 'forward', address: 'alice@example.com' }] }],
      'rules[0].actions[0].address',
    ],
    [[{ ...good, actions: [] }], 'rules[0].actions'],
    [
      [
        { ...good, id: 'same' },
        { ...good, id: 'same' },
      ],
      'rules[1].id',
    ],
    [Array.from({ length: 51 }, () => good), 'rules'],
  ];
  for (const [rules, field] of cases) assertBadInput(await refused(SET_RULES, { rules }, alice.token), field);
  // a value the enum does not know is GraphQL's own refusal
  const unknown = await refused(SET_RULES, { rules: [{ ...good, field: 'body' }] }, alice.token);
  assert.equal(unknown.extensions?.code, 'BAD_USER_INPUT');
  assert.deepEqual((await settingsOf(alice)).filterRules, before);
});

test('putSieveScript stores a script that parses; a syntax error comes back at its line and column, storing nothing', async () => {
  const content = 'require ["fileinto"];\nif header :contains "subject" "news" {\n  fileinto "News";\n}\n';
  const put = (
    await ok<{ putSieveScript: { name: string; active: boolean; size: number; content: string } }>(
      PUT_SCRIPT,
      { name: 'main', content },
      alice.token,
    )
  ).putSieveScript;
  assert.deepEqual(
    { name: put.name, active: put.active, size: put.size, content: put.content },
    { name: 'main', active: false, size: Buffer.byteLength(content), content },
  );

  const broken = 'require ["fileinto"];\nif header :contains "subject" "news" {\n  fileinto "News"\n}\n';
  const error = await refused(PUT_SCRIPT, { name: 'broken', content: broken }, alice.token);
  assertBadInput(error, 'content', /line 4, column 1/);
  const problems = error.extensions!.problems as { line: number; column: number; message: string }[];
  assert.equal(problems[0]!.line, 4);
  assert.equal(problems[0]!.column, 1);
  assert.ok(problems[0]!.message.length > 0);

  // an extension used without require: a validation error at the command
  const unrequired = await refused(
    PUT_SCRIPT,
    { name: 'broken', content: 'keep;\n  fileinto "X";\n' },
    alice.token,
  );
  const where = (unrequired.extensions!.problems as { line: number; column: number }[])[0]!;
  assert.deepEqual([where.line, where.column], [2, 3]);

  const names = (await ok<{ sieveScripts: { name: string }[] }>(SCRIPTS, {}, alice.token)).sieveScripts.map(
    (script) => script.name,
  );
  assert.deepEqual(names, ['main']);

  // checkSieve checks without storing
  const check = await ok<{ checkSieve: { ok: boolean; problems: { line: number; column: number }[] } }>(
    'query ($c: String!) { checkSieve(content: $c) { ok problems { line column message } } }',
    { c: broken },
    alice.token,
  );
  assert.equal(check.checkSieve.ok, false);
  assert.deepEqual([check.checkSieve.problems[0]!.line, check.checkSieve.problems[0]!.column], [4, 1]);
  const fine = await ok<{ checkSieve: { ok: boolean; problems: unknown[] } }>(
    'query ($c: String!) { checkSieve(content: $c) { ok problems { line } } }',
    { c: content },
    alice.token,
  );
  assert.deepEqual(fine.checkSieve, { ok: true, problems: [] });
});

test('script names and sizes are held to the store limits', async () => {
  assertBadInput(await refused(PUT_SCRIPT, { name: '', content: 'keep;' }, alice.token), 'name');
  assertBadInput(await refused(PUT_SCRIPT, { name: 'a\u0001b', content: 'keep;' }, alice.token), 'name');
  assertBadInput(await refused(PUT_SCRIPT, { name: 'n'.repeat(129), content: 'keep;' }, alice.token), 'name');
  const huge = `# ${'x'.repeat(64 * 1024)}\nkeep;\n`;
  assertBadInput(await refused(PUT_SCRIPT, { name: 'huge', content: huge }, alice.token), 'content', /bytes/);
  const names = (await ok<{ sieveScripts: { name: string }[] }>(SCRIPTS, {}, alice.token)).sieveScripts;
  assert.ok(!names.some((script) => script.name === 'huge' || script.name === ''));
});

test('activate, rename and delete: one active script, the active one cannot be deleted, unknown names are NOT_FOUND', async () => {
  const who = await account('scripts@example.com');
  await ok(PUT_SCRIPT, { name: 'one', content: 'keep;' }, who.token);
  const two = (
    await ok<{ putSieveScript: { active: boolean } }>(
      PUT_SCRIPT,
      { name: 'two', content: 'discard;', activate: true },
      who.token,
    )
  ).putSieveScript;
  assert.equal(two.active, true);
  const activeOf = async () =>
    (await ok<{ sieveScripts: { name: string; active: boolean }[] }>(SCRIPTS, {}, who.token)).sieveScripts
      .filter((script) => script.active)
      .map((script) => script.name);
  assert.deepEqual(await activeOf(), ['two']);

  const stampBefore = await filtersStamp(who);
  assert.equal(
    (
      await ok<{ activateSieveScript: boolean }>(
        'mutation { activateSieveScript(name: "one") }',
        {},
        who.token,
      )
    ).activateSieveScript,
    true,
  );
  assert.deepEqual(await activeOf(), ['one']);
  assert.ok((await filtersStamp(who))! > stampBefore!, 'activation moved the filters stamp');

  // the active script cannot be deleted; another can
  assertBadInput(
    await refused('mutation { deleteSieveScript(name: "one") }', {}, who.token),
    'name',
    /deactivate/,
  );
  assert.equal(
    (await ok<{ deleteSieveScript: boolean }>('mutation { deleteSieveScript(name: "two") }', {}, who.token))
      .deleteSieveScript,
    true,
  );

  // rename keeps it active; a taken name and an unknown script are refused
  await ok(PUT_SCRIPT, { name: 'three', content: 'keep;' }, who.token);
  const renamed = (
    await ok<{ renameSieveScript: { name: string; active: boolean; content: string } }>(
      'mutation { renameSieveScript(name: "one", newName: "first") { name active content } }',
      {},
      who.token,
    )
  ).renameSieveScript;
  assert.deepEqual(renamed, { name: 'first', active: true, content: 'keep;' });
  assertBadInput(
    await refused('mutation { renameSieveScript(name: "first", newName: "three") { name } }', {}, who.token),
    'newName',
    /already exists/,
  );
  for (const mutation of [
    'mutation { renameSieveScript(name: "nope", newName: "x") { name } }',
    'mutation { activateSieveScript(name: "nope") }',
    'mutation { deleteSieveScript(name: "nope") }',
  ])
    assert.equal((await refused(mutation, {}, who.token)).extensions?.code, 'NOT_FOUND');

  const one = await ok<{ sieveScript: { name: string; active: boolean } | null }>(
    'query { sieveScript(name: "first") { name active } }',
    {},
    who.token,
  );
  assert.deepEqual(one.sieveScript, { name: 'first', active: true });
  const none = await ok<{ sieveScript: unknown }>(
    'query { sieveScript(name: "one") { name } }',
    {},
    who.token,
  );
  assert.equal(none.sieveScript, null);

  // null: none active, and now every script can be deleted
  await ok('mutation { activateSieveScript(name: null) }', {}, who.token);
  assert.deepEqual(await activeOf(), []);
  await ok('mutation { deleteSieveScript(name: "first") }', {}, who.token);
  assert.deepEqual(
    (await ok<{ sieveScripts: { name: string }[] }>(SCRIPTS, {}, who.token)).sieveScripts.map((s) => s.name),
    ['three'],
  );
});

test("one user never sees or changes another's scripts or settings", async () => {
  const carol = await account('carol@example.com');
  const dave = await account('dave@example.com');
  await ok(PUT_SCRIPT, { name: 'private', content: 'keep;', activate: true }, carol.token);
  await ok(
    SET_FORWARDING,
    { input: { enabled: true, addresses: ['x@example.net'], keepCopy: true } },
    carol.token,
  );

  assert.deepEqual((await ok<{ sieveScripts: unknown[] }>(SCRIPTS, {}, dave.token)).sieveScripts, []);
  const peek = await ok<{ sieveScript: unknown }>(
    'query { sieveScript(name: "private") { name } }',
    {},
    dave.token,
  );
  assert.equal(peek.sieveScript, null);
  assert.equal((await settingsOf(dave)).forwarding.enabled, false);
  for (const mutation of [
    'mutation { activateSieveScript(name: "private") }',
    'mutation { deleteSieveScript(name: "private") }',
    'mutation { renameSieveScript(name: "private", newName: "mine") { name } }',
  ])
    assert.equal((await refused(mutation, {}, dave.token)).extensions?.code, 'NOT_FOUND');
  // dave's script of the same name is his own
  await ok(PUT_SCRIPT, { name: 'private', content: 'discard;' }, dave.token);
  const carols = (
    await ok<{ sieveScripts: { name: string; active: boolean; content: string }[] }>(SCRIPTS, {}, carol.token)
  ).sieveScripts;
  assert.deepEqual(
    carols.map((script) => [script.name, script.active, script.content]),
    [['private', true, 'keep;']],
  );
});

test('a filter failure recorded at delivery shows in the settings', async () => {
  const { recordFilterError } = await import('@wildduck/store');
  await recordFilterError(api.store.db, new ObjectId(bob.id), {
    script: 'main',
    message: 'too many redirects',
  });
  const error = (await settingsOf(bob)).lastFilterError;
  assert.equal(error?.script, 'main');
  assert.equal(error?.message, 'too many redirects');
  assert.ok(!Number.isNaN(Date.parse(error!.at)));
});

test('queries need the read scope and changes the write scope; no token is UNAUTHENTICATED', async () => {
  const tokenWith = async (scopes: string[]) =>
    (
      await ok<{ createAccessToken: { token: string } }>(
        'mutation ($scopes: [Scope!]!) { createAccessToken(name: "app", scopes: $scopes) { token } }',
        { scopes },
        alice.token,
      )
    ).createAccessToken.token;
  const readOnly = await tokenWith(['read']);
  const writeOnly = await tokenWith(['write']);

  await ok(SETTINGS, {}, readOnly);
  await ok(SCRIPTS, {}, readOnly);
  const writes = [
    [SET_VACATION, { input: { enabled: false } }],
    [SET_FORWARDING, { input: { enabled: false, addresses: [], keepCopy: true } }],
    [SET_RULES, { rules: [] }],
    [PUT_SCRIPT, { name: 'scoped', content: 'keep;' }],
    ['mutation { activateSieveScript(name: null) }', {}],
    ['mutation { deleteSieveScript(name: "scoped") }', {}],
    ['mutation { renameSieveScript(name: "scoped", newName: "x") { name } }', {}],
  ] as const;
  for (const [mutation, variables] of writes) {
    const error = await refused(mutation, variables, readOnly);
    assert.equal(error.extensions?.code, 'FORBIDDEN', mutation);
  }
  for (const query of [SETTINGS, SCRIPTS, 'query { checkSieve(content: "keep;") { ok } }'])
    assert.equal((await refused(query, {}, writeOnly)).extensions?.code, 'FORBIDDEN');
  await ok(SET_RULES, { rules: [] }, writeOnly);

  const anonymous = await api.gql(SETTINGS, {}, null);
  assert.equal(anonymous.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
});
