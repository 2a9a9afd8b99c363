// ManageSieve's refusals over a raw socket: each is a NO with the RFC 5804 response code, and the
// session goes on after it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import { SIEVE_SCRIPT_LIMITS, enableTwoFactor } from '@wildduck/store';
import { beginTwoFactorSetup, createAppPassword, TWO_FACTOR_APP_PASSWORD_HINT } from '@wildduck/mail-service';
import { RawSieveClient, plain, startManageSieve, type ManageSieveHarness } from './managesieve-harness.js';

let sieve: ManageSieveHarness;
before(async () => {
  sieve = await startManageSieve('managesieve-errors', { perUserLoginAttempts: 4 });
  await sieve.createUser('carol@example.com');
  await sieve.createUser('dave@example.com');
  await sieve.createUser('erin@example.com');
});
after(async () => {
  await sieve.close();
});

/** A literal argument as a client sends it. */
const literal = (text: string) => `{${Buffer.byteLength(text)}+}\r\n${text}`;

test('greeting and capabilities: SASL only under TLS, OWNER once authenticated', async () => {
  const client = await RawSieveClient.open(sieve.port);
  assert.match(client.greeting, /^"IMPLEMENTATION" "Wild Duck ManageSieve"\r\n/);
  assert.match(client.greeting, /^"SASL" ""\r\n/m);
  assert.match(client.greeting, /^"STARTTLS"\r\n/m);
  assert.match(client.greeting, /^"SIEVE" "fileinto [^"]*vacation[^"]*"\r\n/m);
  assert.match(client.greeting, /^"VERSION" "1.0"\r\n/m);
  assert.match(client.greeting, /^"MAXREDIRECTS" "5"\r\n/m);
  assert.match(client.greeting, /^OK "Wild Duck ManageSieve ready"\r\n$/m);
  assert.doesNotMatch(client.greeting, /OWNER/);
  // PLAIN before TLS: refused, the session goes on
  assert.match(
    await client.command(`AUTHENTICATE "PLAIN" "${plain('carol@example.com', 'secretpass')}"`),
    /^NO \(ENCRYPT-NEEDED\) "/,
  );
  const underTls = await client.startTls();
  assert.match(underTls, /^"SASL" "PLAIN"\r\n/m);
  assert.doesNotMatch(underTls, /STARTTLS/);
  assert.match(underTls, /^OK /m);
  assert.match(await client.command('STARTTLS'), /^NO "TLS is already active"/);
  assert.match(
    await client.command(`AUTHENTICATE "PLAIN" "${plain('carol@example.com', 'secretpass')}"`),
    /^OK/,
  );
  assert.match(await client.command('CAPABILITY'), /^"OWNER" "carol@example.com"\r\n/m);
  assert.match(await client.command('NOOP "sync-1"'), /^OK \(TAG "sync-1"\) "Done"\r\n$/);
  assert.match(await client.command('LOGOUT'), /^OK "Logout completed"/);
  assert.ok(await client.closed());
});

test('commands before authentication, unknown commands, bad syntax: NO, and the session goes on', async () => {
  const client = await RawSieveClient.open(sieve.port);
  for (const command of ['LISTSCRIPTS', 'GETSCRIPT "x"', 'PUTSCRIPT "x" {5+}\r\nkeep;', 'HAVESPACE "x" 10'])
    assert.match(await client.command(command), /^NO "Authenticate first"\r\n$/, command);
  assert.match(await client.command('FROBNICATE'), /^NO "Unknown command FROBNICATE"\r\n$/);
  assert.match(await client.command('GETSCRIPT "unterminated'), /^NO "Unterminated quoted string"/);
  assert.match(await client.command('"quoted" NOOP'), /^NO "Expected a command name"/);
  assert.match(await client.command('CAPABILITY extra'), /^NO "Syntax: CAPABILITY"/);
  assert.match(await client.command('AUTHENTICATE "PLAIN" {100000+}'), /^BYE "Literal too large/);
  assert.ok(await client.closed(), 'a huge literal before authentication ends the connection');
});

test('AUTHENTICATE: continuation, cancel, wrong password, unknown mechanism, authzid', async () => {
  const client = await RawSieveClient.open(sieve.port);
  await client.startTls();
  assert.match(
    await client.command('AUTHENTICATE "DIGEST-MD5"'),
    /^NO "Unsupported SASL mechanism DIGEST-MD5"/,
  );
  client.write('AUTHENTICATE "PLAIN"\r\n');
  assert.equal(await client.line(), '""');
  assert.match(await client.command('"*"'), /^NO "Authentication cancelled"/);
  assert.match(
    await client.command(`AUTHENTICATE "PLAIN" "${plain('dave@example.com', 'wrong')}"`),
    /^NO "Authentication failed"\r\n$/,
  );
  const actAs = Buffer.from('carol@example.com\0dave@example.com\0secretpass').toString('base64');
  assert.match(await client.command(`AUTHENTICATE "PLAIN" "${actAs}"`), /^NO \(AUTH-TOO-WEAK\)/);
  assert.match(await client.command('AUTHENTICATE "PLAIN" "not base64!"'), /^NO "Invalid base64/);
  // the response as a literal after an empty challenge, as sieve-connect sends it
  client.write('AUTHENTICATE "PLAIN"\r\n');
  assert.equal(await client.line(), '""');
  assert.match(await client.command(literal(plain('dave@example.com', 'secretpass'))), /^OK "Authenticated"/);
  assert.match(await client.command('AUTHENTICATE "PLAIN" "x"'), /^NO "Already authenticated"/);
  assert.match(await client.command('LISTSCRIPTS'), /^OK/);
  client.close();
});

test('too many failed authentications: BYE; then the account is rate limited (TRYLATER)', async () => {
  const client = await RawSieveClient.open(sieve.port);
  await client.startTls();
  const attempt = () => client.command(`AUTHENTICATE "PLAIN" "${plain('erin@example.com', 'wrong')}"`);
  assert.match(await attempt(), /^NO "Authentication failed"/);
  assert.match(await attempt(), /^NO "Authentication failed"/);
  assert.match(await attempt(), /^BYE "Too many failed authentications"/);
  assert.ok(await client.closed());
  const next = await RawSieveClient.open(sieve.port);
  assert.match(await next.login('erin@example.com', 'wrong'), /^NO "Authentication failed"/);
  assert.match(
    await next.command(`AUTHENTICATE "PLAIN" "${plain('erin@example.com', 'secretpass')}"`),
    /^NO \(TRYLATER\)/,
  );
  next.close();
});

test('script errors: syntax (line and column), quota, active, nonexistent, names; the session goes on', async () => {
  const client = await RawSieveClient.open(sieve.port);
  assert.match(await client.login('carol@example.com'), /^OK/);

  assert.match(
    await client.command(
      `PUTSCRIPT "bad" ${literal('keep;\r\nif header :is "subject" {\r\n  stop;\r\n}\r\n')}`,
    ),
    /^NO "line 2, column \d+: .+"\r\n$/,
  );
  assert.match(await client.command(`CHECKSCRIPT ${literal('frobnicate;')}`), /^NO "line 1, column 1: .+"/);
  assert.match(
    await client.command(`CHECKSCRIPT ${literal('require "vacation";\r\nvacation "away";')}`),
    /^OK/,
  );
  assert.match(
    await client.command(Buffer.concat([Buffer.from('PUTSCRIPT "bad" {1+}\r\n'), Buffer.from([0xff])])),
    /^NO "The script is not valid UTF-8"/,
  );
  assert.match(await client.command('GETSCRIPT "bad"'), /^NO \(NONEXISTENT\)/, 'nothing was stored');

  const max = SIEVE_SCRIPT_LIMITS.maxScriptBytes;
  const big = `#${'x'.repeat(max)}\r\nkeep;\r\n`;
  assert.match(await client.command(`PUTSCRIPT "big" ${literal(big)}`), /^NO \(QUOTA\/MAXSIZE\) "/);
  assert.match(await client.command(`HAVESPACE "big" ${max + 1}`), /^NO \(QUOTA\/MAXSIZE\) "/);
  assert.match(await client.command(`HAVESPACE "big" ${max}`), /^OK/);
  assert.match(await client.command('HAVESPACE "big" lots'), /^NO "Syntax: HAVESPACE/);
  // far over the limit: the literal is skipped and the command refused, the connection stays
  const huge = 'x'.repeat(4 * max);
  assert.match(await client.command(`PUTSCRIPT "huge" ${literal(huge)}`), /^NO \(QUOTA\/MAXSIZE\) "/);

  for (let n = 0; n < SIEVE_SCRIPT_LIMITS.maxScripts; n++)
    assert.match(await client.command(`PUTSCRIPT "s${n}" ${literal('keep;')}`), /^OK/, `script ${n}`);
  assert.match(await client.command(`HAVESPACE "one-more" 10`), /^NO \(QUOTA\/MAXSCRIPTS\) "/);
  assert.match(
    await client.command(`PUTSCRIPT "one-more" ${literal('keep;')}`),
    /^NO \(QUOTA\/MAXSCRIPTS\) "/,
  );
  assert.match(
    await client.command(`PUTSCRIPT "s0" ${literal('discard;')}`),
    /^OK/,
    'replacing needs no room',
  );

  assert.match(await client.command('SETACTIVE "s0"'), /^OK/);
  assert.match(await client.command('DELETESCRIPT "s0"'), /^NO \(ACTIVE\) "/);
  assert.match(await client.command('DELETESCRIPT "nope"'), /^NO \(NONEXISTENT\) "/);
  assert.match(await client.command('SETACTIVE "nope"'), /^NO \(NONEXISTENT\) "/);
  assert.match(await client.command('GETSCRIPT "nope"'), /^NO \(NONEXISTENT\) "/);
  assert.match(await client.command('RENAMESCRIPT "nope" "other"'), /^NO \(NONEXISTENT\) "/);
  assert.match(await client.command('RENAMESCRIPT "s1" "s2"'), /^NO \(ALREADYEXISTS\) "/);
  assert.match(await client.command('PUTSCRIPT "" {5+}\r\nkeep;'), /^NO "A script name must not be empty"/);
  assert.match(
    await client.command(`PUTSCRIPT ${literal('tab\there')} ${literal('keep;')}`),
    /^NO "A script name must not contain/,
  );
  assert.match(await client.command('PUTSCRIPT "only-one-argument"'), /^NO "Syntax: PUTSCRIPT/);

  const listing = await client.command('LISTSCRIPTS');
  assert.match(listing, /^"s0" ACTIVE\r\n/m);
  assert.equal(listing.match(/^"s\d+"/gm)?.length, SIEVE_SCRIPT_LIMITS.maxScripts);
  assert.equal(await client.command('GETSCRIPT "s0"'), '{8}\r\ndiscard;\r\nOK "Getscript completed"\r\n');
  assert.match(await client.command('SETACTIVE ""'), /^OK/);
  assert.match(await client.command('DELETESCRIPT "s0"'), /^OK/);
  assert.match(await client.command('UNAUTHENTICATE'), /^OK/);
  assert.match(await client.command('LISTSCRIPTS'), /^NO "Authenticate first"/);
  client.close();
});

test("one user never sees, reads or changes another user's scripts", async () => {
  const owner = await RawSieveClient.open(sieve.port);
  assert.match(await owner.login('dave@example.com'), /^OK/);
  assert.match(await owner.command(`PUTSCRIPT "private" ${literal('discard;')}`), /^OK/);
  assert.match(await owner.command('SETACTIVE "private"'), /^OK/);

  const other = await RawSieveClient.open(sieve.port);
  assert.match(await other.login('erin@example.com'), /^NO \(TRYLATER\)/, 'erin is still rate limited');
  other.close();
  const carol = await RawSieveClient.open(sieve.port);
  assert.match(await carol.login('carol@example.com'), /^OK/);
  assert.doesNotMatch(await carol.command('LISTSCRIPTS'), /private/);
  assert.match(await carol.command('GETSCRIPT "private"'), /^NO \(NONEXISTENT\)/);
  assert.match(await carol.command('DELETESCRIPT "private"'), /^NO \(NONEXISTENT\)/);
  assert.match(await carol.command('RENAMESCRIPT "private" "mine"'), /^NO \(NONEXISTENT\)/);
  assert.match(await carol.command('SETACTIVE "private"'), /^NO \(NONEXISTENT\)/);
  assert.match(await owner.command('GETSCRIPT "private"'), /discard;/);
  assert.match(await owner.command('LISTSCRIPTS'), /^"private" ACTIVE/m);
  owner.close();
  carol.close();
});

test('pipelined commands are answered in order; what follows STARTTLS in clear text is dropped', async () => {
  const client = await RawSieveClient.open(sieve.port);
  client.write('NOOP "a"\r\nNOOP "b"\r\nCAPABILITY\r\n');
  assert.match(await client.response(), /TAG "a"/);
  assert.match(await client.response(), /TAG "b"/);
  assert.match(await client.response(), /"IMPLEMENTATION"/);
  // a command sent in clear text right behind STARTTLS must not run under TLS
  assert.match(await client.startTls('NOOP "injected"\r\n'), /^OK /m);
  assert.match(await client.command('NOOP "after"'), /^OK \(TAG "after"\)/);
  client.close();
});

test('two-factor sign-in on: the account password gets a hint, an app password for ManageSieve works', async () => {
  const id = new ObjectId(await sieve.createUser('frank@example.com'));
  const user = { _id: id, address: 'frank@example.com' };
  const setup = await beginTwoFactorSetup(sieve.store.db, user);
  assert.ok(setup.ok);
  assert.ok(
    await enableTwoFactor(sieve.store.db, id, setup.secret, {
      recoveryCodes: [],
      lastStep: 0,
      now: new Date(),
    }),
  );
  const client = await RawSieveClient.open(sieve.port);
  const refused = await client.login('frank@example.com');
  assert.ok(refused.startsWith('NO "Authentication failed: '), refused);
  assert.ok(refused.includes(TWO_FACTOR_APP_PASSWORD_HINT), refused);

  const imapOnly = await createAppPassword(sieve.store.db, { user: id, name: 'mail app', scopes: ['imap'] });
  const sieveApp = await createAppPassword(sieve.store.db, {
    user: id,
    name: 'filters',
    scopes: ['managesieve'],
  });
  assert.ok(imapOnly.ok && sieveApp.ok);
  assert.match(
    await client.command(`AUTHENTICATE "PLAIN" "${plain('frank@example.com', imapOnly.password)}"`),
    /^NO "Authentication failed: This app password is not for MANAGESIEVE"/,
  );
  assert.match(
    await client.command(`AUTHENTICATE "PLAIN" "${plain('frank@example.com', sieveApp.password)}"`),
    /^OK "Authenticated"/,
  );
  client.close();
});

test('ten bad commands before authentication end the connection (not a Sieve client)', async () => {
  const client = await RawSieveClient.open(sieve.port);
  for (let n = 1; n < 10; n++)
    assert.match(await client.command('GET / HTTP/1.1'), /^NO "Unknown command GET"/);
  assert.match(await client.command('GET / HTTP/1.1'), /^NO "Unknown command GET"\r\n$/);
  assert.match(await client.response(), /^BYE "Too many invalid commands"/);
  assert.ok(await client.closed());
});

test('server shutdown: sessions get BYE (TRYLATER)', async () => {
  const client = await RawSieveClient.open(sieve.port);
  assert.match(await client.login('carol@example.com'), /^OK/);
  await sieve.server.close();
  assert.match(await client.response(), /^BYE \(TRYLATER\) "Server shutting down"/);
  assert.ok(await client.closed());
});
