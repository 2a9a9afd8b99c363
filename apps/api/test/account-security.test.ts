// Account security over GraphQL (issue 17): two-factor set-up and sign-in with TOTP codes (made by
// otpauth from the secret the set-up answers) and recovery codes, replays refused, rate limits,
// the admin reset, app passwords with the api scope, and changing the password.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { startApi, PASSWORD, type ApiHarness } from './graphql-harness.js';
import { codes, firstError } from './auth-support.js';

let api: ApiHarness;

before(async () => {
  api = await startApi('account-security');
});
after(async () => {
  await api.close();
});

let counter = 0;
/** A fresh account per test (each has its own rate-limit budget); answers its address, id and a session. */
async function newUser(name: string, role: 'user' | 'admin' = 'user') {
  const address = `${name}-${++counter}-${randomBytes(3).toString('hex')}@example.com`;
  const id = await api.createUser(address, { role });
  return { address, id, token: await api.signIn(address) };
}

/** The code of the authenticator `offsetSteps` steps from now. */
function totpCode(secret: string, offsetSteps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret) }).generate({
    timestamp: Date.now() + offsetSteps * 30_000,
  });
}

const SIGN_IN = `mutation ($u: String!, $p: String!, $c: String) {
  signIn(username: $u, password: $p, code: $c) { token user { address twoFactorEnabled } }
}`;
const signIn = (address: string, password: string, code?: string) =>
  api.gql<{ signIn: { token: string; user: { address: string; twoFactorEnabled: boolean } } }>(SIGN_IN, {
    u: address,
    p: password,
    c: code ?? null,
  });

/** Sets two-factor up for a session: answers the secret, the recovery codes and the confirming code. */
async function enableTwoFactor(token: string) {
  const begun = await api.gql<{
    beginTwoFactorSetup: { secret: string; otpauthUrl: string; qrCodeSvg: string };
  }>('mutation { beginTwoFactorSetup { secret otpauthUrl qrCodeSvg } }', {}, token);
  assert.equal(begun.errors, undefined, JSON.stringify(begun.errors));
  const setup = begun.data!.beginTwoFactorSetup;
  const code = totpCode(setup.secret);
  const confirmed = await api.gql<{ confirmTwoFactor: { codes: string[] } }>(
    'mutation ($c: String!) { confirmTwoFactor(code: $c) { codes } }',
    { c: code },
    token,
  );
  assert.equal(confirmed.errors, undefined, JSON.stringify(confirmed.errors));
  return { ...setup, recoveryCodes: confirmed.data!.confirmTwoFactor.codes, confirmingCode: code };
}

const STATUS = '{ twoFactor { enabled recoveryCodesLeft } me { twoFactorEnabled } }';
type Status = {
  twoFactor: { enabled: boolean; recoveryCodesLeft: number };
  me: { twoFactorEnabled: boolean };
};
const status = (token: string) => api.gql<Status>(STATUS, {}, token);

test('two-factor set-up: secret, otpauth URL and QR code; a wrong code is refused; the right one turns it on', async () => {
  const alice = await newUser('alice');
  const off = await status(alice.token);
  assert.deepEqual(off.data, {
    twoFactor: { enabled: false, recoveryCodesLeft: 0 },
    me: { twoFactorEnabled: false },
  });

  const begun = await api.gql<{
    beginTwoFactorSetup: { secret: string; otpauthUrl: string; qrCodeSvg: string };
  }>('mutation { beginTwoFactorSetup { secret otpauthUrl qrCodeSvg } }', {}, alice.token);
  const setup = begun.data!.beginTwoFactorSetup;
  assert.match(setup.secret, /^[A-Z2-7]{32}$/);
  const url = new URL(setup.otpauthUrl);
  assert.equal(url.protocol, 'otpauth:');
  assert.equal(url.host, 'totp');
  assert.equal(url.searchParams.get('secret'), setup.secret);
  assert.equal(url.searchParams.get('algorithm'), 'SHA1');
  assert.equal(url.searchParams.get('digits'), '6');
  assert.equal(url.searchParams.get('period'), '30');
  assert.ok(decodeURIComponent(url.pathname).includes(alice.address));
  assert.match(setup.qrCodeSvg, /^<svg[\s\S]*<\/svg>\s*$/);

  const wrong = await api.gql(
    'mutation ($c: String!) { confirmTwoFactor(code: $c) { codes } }',
    { c: String((Number(totpCode(setup.secret)) + 1) % 1_000_000).padStart(6, '0') },
    alice.token,
  );
  assert.deepEqual(codes(wrong), ['BAD_USER_INPUT']);
  assert.equal((await status(alice.token)).data?.twoFactor.enabled, false, 'still off');

  const confirmed = await api.gql<{ confirmTwoFactor: { codes: string[] } }>(
    'mutation ($c: String!) { confirmTwoFactor(code: $c) { codes } }',
    { c: totpCode(setup.secret) },
    alice.token,
  );
  const recovery = confirmed.data!.confirmTwoFactor.codes;
  assert.equal(recovery.length, 10);
  assert.equal(new Set(recovery).size, 10);
  for (const code of recovery) assert.match(code, /^[a-z2-9]{5}-[a-z2-9]{5}$/);
  const on = await status(alice.token);
  assert.deepEqual(on.data, {
    twoFactor: { enabled: true, recoveryCodesLeft: 10 },
    me: { twoFactorEnabled: true },
  });

  // a second set-up while it is on is refused (turn it off first)
  const again = await api.gql('mutation { beginTwoFactorSetup { secret } }', {}, alice.token);
  assert.deepEqual(codes(again), ['FORBIDDEN']);
  // recovery codes are stored hashed only
  const stored = await api.store.db.collection('twoFactor').findOne({});
  assert.ok(stored);
  for (const code of recovery) assert.ok(!JSON.stringify(stored).includes(code));
});

test('signIn with two-factor on: a code is needed, wrong passwords learn nothing, codes are not replayed', async () => {
  const bob = await newUser('bob');
  const { secret, recoveryCodes, confirmingCode } = await enableTwoFactor(bob.token);

  const noCode = firstError(await signIn(bob.address, PASSWORD));
  assert.equal(noCode.extensions.code, 'UNAUTHENTICATED');
  assert.equal(noCode.extensions.twoFactorRequired, true);
  assert.equal(noCode.message, 'A two-factor code is needed');

  // a wrong password answers as ever: without the flag, with or without a code
  for (const code of [undefined, totpCode(secret)]) {
    const wrongPassword = firstError(await signIn(bob.address, 'not the password', code));
    assert.equal(wrongPassword.extensions.code, 'UNAUTHENTICATED');
    assert.equal(wrongPassword.extensions.twoFactorRequired, undefined);
    assert.equal(wrongPassword.message, 'Wrong address or password');
  }

  // the code that confirmed the set-up is used up
  const replayedConfirm = firstError(await signIn(bob.address, PASSWORD, confirmingCode));
  assert.equal(replayedConfirm.extensions.twoFactorRequired, true);
  assert.equal(replayedConfirm.message, 'Wrong two-factor code');

  const wrongCode = firstError(await signIn(bob.address, PASSWORD, '000000'));
  assert.equal(wrongCode.extensions.code, 'UNAUTHENTICATED');
  assert.equal(wrongCode.extensions.twoFactorRequired, true);
  assert.equal(wrongCode.message, 'Wrong two-factor code');

  // the next step's code (a phone clock a little ahead) works, once
  const next = totpCode(secret, 1);
  const signedIn = await signIn(bob.address, PASSWORD, next);
  assert.equal(signedIn.errors, undefined, JSON.stringify(signedIn.errors));
  assert.equal(signedIn.data!.signIn.user.twoFactorEnabled, true);
  const replayed = firstError(await signIn(bob.address, PASSWORD, next));
  assert.equal(replayed.message, 'Wrong two-factor code');

  // a recovery code works once, typed in capitals without its dash too
  const recovery = recoveryCodes[0]!;
  const byRecovery = await signIn(bob.address, PASSWORD, recovery.replace('-', '').toUpperCase());
  assert.equal(byRecovery.errors, undefined, JSON.stringify(byRecovery.errors));
  assert.equal(firstError(await signIn(bob.address, PASSWORD, recovery)).message, 'Wrong two-factor code');
  const left = await status(byRecovery.data!.signIn.token);
  assert.equal(left.data?.twoFactor.recoveryCodesLeft, 9);
});

test('recovery codes are renewed with a code, and disabling needs a right code', async () => {
  const carol = await newUser('carol');
  const { recoveryCodes } = await enableTwoFactor(carol.token);

  const RENEW = 'mutation ($c: String!) { regenerateRecoveryCodes(code: $c) { codes } }';
  assert.deepEqual(codes(await api.gql(RENEW, { c: '123456' }, carol.token)), ['BAD_USER_INPUT']);
  const renewed = await api.gql<{ regenerateRecoveryCodes: { codes: string[] } }>(
    RENEW,
    { c: recoveryCodes[0] },
    carol.token,
  );
  const fresh = renewed.data!.regenerateRecoveryCodes.codes;
  assert.equal(fresh.length, 10);
  // the old codes stop working
  assert.equal(
    firstError(await signIn(carol.address, PASSWORD, recoveryCodes[1])).message,
    'Wrong two-factor code',
  );

  const DISABLE = 'mutation ($c: String!) { disableTwoFactor(code: $c) }';
  const refused = await api.gql(DISABLE, { c: '123456' }, carol.token);
  assert.deepEqual(codes(refused), ['BAD_USER_INPUT']);
  assert.equal(firstError(refused).message, 'Wrong two-factor code');
  assert.equal((await status(carol.token)).data?.twoFactor.enabled, true, 'still on');

  const disabled = await api.gql(DISABLE, { c: fresh[0] }, carol.token);
  assert.deepEqual(disabled.data, { disableTwoFactor: true });
  assert.equal((await status(carol.token)).data?.twoFactor.enabled, false);
  const plain = await signIn(carol.address, PASSWORD);
  assert.equal(plain.errors, undefined, 'the password alone signs in again');
  // off: a code has nothing to check against
  assert.deepEqual(codes(await api.gql(DISABLE, { c: fresh[1] }, carol.token)), ['BAD_USER_INPUT']);
});

test('an administrator resets two-factor for a user; anyone else is FORBIDDEN', async () => {
  const dave = await newUser('dave');
  await enableTwoFactor(dave.token);
  const admin = await newUser('admin', 'admin');
  const RESET = 'mutation ($id: ID!) { resetTwoFactor(userId: $id) }';

  const byUser = await api.gql(RESET, { id: dave.id }, (await newUser('mallory')).token);
  assert.deepEqual(codes(byUser), ['FORBIDDEN']);
  assert.deepEqual(codes(await api.gql(RESET, { id: dave.id }, dave.token)), ['FORBIDDEN']);
  assert.deepEqual(codes(await api.gql(RESET, { id: dave.id })), ['UNAUTHENTICATED']);
  assert.deepEqual(codes(await signIn(dave.address, PASSWORD)), ['UNAUTHENTICATED'], 'still on');

  const users = await api.gql<{ user: { twoFactorEnabled: boolean } }>(
    'query ($id: ID!) { user(id: $id) { twoFactorEnabled } }',
    { id: dave.id },
    admin.token,
  );
  assert.equal(users.data?.user.twoFactorEnabled, true, JSON.stringify(users.errors));

  assert.deepEqual((await api.gql(RESET, { id: dave.id }, admin.token)).data, { resetTwoFactor: true });
  const signedIn = await signIn(dave.address, PASSWORD);
  assert.equal(signedIn.errors, undefined, 'the password alone signs in after the reset');
  assert.equal(signedIn.data!.signIn.user.twoFactorEnabled, false);
  assert.deepEqual(codes(await api.gql(RESET, { id: '0123456789abcdef01234567' }, admin.token)), [
    'NOT_FOUND',
  ]);
});

test('wrong two-factor codes are rate-limited like wrong passwords', async () => {
  const erin = await newUser('erin');
  const { secret } = await enableTwoFactor(erin.token);
  let limited = false;
  for (let attempt = 0; attempt < 20 && !limited; attempt++) {
    const error = firstError(await signIn(erin.address, PASSWORD, '000000'));
    if (error.extensions.code === 'RATE_LIMITED') limited = true;
    else assert.equal(error.extensions.twoFactorRequired, true);
  }
  assert.ok(limited, 'the wrong codes were cut off');
  // now even the right code is not checked
  assert.deepEqual(codes(await signIn(erin.address, PASSWORD, totpCode(secret, 1))), ['RATE_LIMITED']);
  // and the mutations that take a code are behind the same limit
  assert.deepEqual(
    codes(
      await api.gql(
        'mutation ($c: String!) { disableTwoFactor(code: $c) }',
        { c: totpCode(secret, 1) },
        erin.token,
      ),
    ),
    ['RATE_LIMITED'],
  );
});

test('app passwords over GraphQL: created (shown once), listed without secrets, the api scope signs in without a code, revoked', async () => {
  const frank = await newUser('frank');
  const CREATE = `mutation ($n: String!, $s: [AppPasswordScope!]) {
    createAppPassword(name: $n, scopes: $s) { password appPassword { id name scopes created lastUsed lastAddress } }
  }`;
  type Created = {
    createAppPassword: {
      password: string;
      appPassword: { id: string; name: string; scopes: string[]; lastUsed: string | null };
    };
  };
  const mailOnly = (await api.gql<Created>(CREATE, { n: 'Thunderbird' }, frank.token)).data!
    .createAppPassword;
  assert.match(mailOnly.password, /^([a-z]{4} ){3}[a-z]{4}$/);
  assert.deepEqual(mailOnly.appPassword.scopes, ['imap', 'smtp']);
  assert.equal(mailOnly.appPassword.lastUsed, null);
  const forApi = (await api.gql<Created>(CREATE, { n: 'script', s: ['api'] }, frank.token)).data!
    .createAppPassword;

  assert.deepEqual(codes(await api.gql(CREATE, { n: ' ' }, frank.token)), ['BAD_USER_INPUT']);
  assert.deepEqual(codes(await api.gql(CREATE, { n: 'none', s: [] }, frank.token)), ['BAD_USER_INPUT']);

  await enableTwoFactor(frank.token);
  const byApiPassword = await signIn(frank.address, forApi.password);
  assert.equal(byApiPassword.errors, undefined, 'an api app password needs no code');
  // but never opens the web console, which two-factor guards: its server signs in as 'web'
  const byConsole = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wildduck-sign-in-client': 'web' },
    body: JSON.stringify({ query: SIGN_IN, variables: { u: frank.address, p: forApi.password, c: null } }),
  });
  const consoleAnswer = (await byConsole.json()) as {
    data: unknown;
    errors?: { extensions: { code: string } }[];
  };
  assert.equal(consoleAnswer.data, null);
  assert.equal(consoleAnswer.errors?.[0]?.extensions.code, 'UNAUTHENTICATED');
  // one without the api scope is refused like a wrong password
  const byMailPassword = firstError(await signIn(frank.address, mailOnly.password));
  assert.equal(byMailPassword.extensions.code, 'UNAUTHENTICATED');
  assert.equal(byMailPassword.extensions.twoFactorRequired, undefined);

  const LIST = '{ appPasswords { id name scopes lastUsed lastAddress } }';
  const listed = await api.gql<{
    appPasswords: { id: string; name: string; lastUsed: string | null; lastAddress: string | null }[];
  }>(LIST, {}, frank.token);
  assert.deepEqual(
    listed.data!.appPasswords.map((entry) => entry.name),
    ['Thunderbird', 'script'],
  );
  const script = listed.data!.appPasswords[1]!;
  assert.ok(script.lastUsed, 'the api sign-in is recorded');
  assert.match(script.lastAddress ?? '', /127\.0\.0\.1/);
  assert.ok(
    !JSON.stringify(await api.store.db.collection('appPasswords').find({}).toArray()).includes(
      forApi.password.replace(/ /g, ''),
    ),
  );

  // someone else cannot see or revoke them
  const other = await newUser('grace');
  assert.deepEqual((await api.gql(LIST, {}, other.token)).data, { appPasswords: [] });
  const REVOKE = 'mutation ($id: ID!) { revokeAppPassword(id: $id) }';
  assert.deepEqual(codes(await api.gql(REVOKE, { id: script.id }, other.token)), ['NOT_FOUND']);

  assert.deepEqual((await api.gql(REVOKE, { id: script.id }, frank.token)).data, { revokeAppPassword: true });
  assert.deepEqual(codes(await api.gql(REVOKE, { id: script.id }, frank.token)), ['NOT_FOUND']);
  assert.deepEqual(codes(await signIn(frank.address, forApi.password)), ['UNAUTHENTICATED']);

  // a personal access token cannot make app passwords
  const pat = await api.gql<{ createAccessToken: { token: string } }>(
    'mutation { createAccessToken(name: "app", scopes: [read, write]) { token } }',
    {},
    frank.token,
  );
  const patToken = pat.data!.createAccessToken.token;
  assert.deepEqual(codes(await api.gql(CREATE, { n: 'sneaky' }, patToken)), ['FORBIDDEN']);
});

test('changePassword needs the current password and keeps the password rules; the session stays', async () => {
  const heidi = await newUser('heidi');
  const CHANGE =
    'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';
  const wrong = await api.gql(CHANGE, { c: 'not the password', n: 'a new passphrase' }, heidi.token);
  assert.deepEqual(codes(wrong), ['BAD_USER_INPUT']);
  assert.equal(firstError(wrong).extensions.field, 'currentPassword');
  const short = await api.gql(CHANGE, { c: PASSWORD, n: 'short' }, heidi.token);
  assert.deepEqual(codes(short), ['BAD_USER_INPUT']);
  assert.equal(firstError(short).extensions.field, 'newPassword');
  assert.deepEqual(codes(await api.gql(CHANGE, { c: PASSWORD, n: 'a new passphrase' })), ['UNAUTHENTICATED']);

  assert.deepEqual((await api.gql(CHANGE, { c: PASSWORD, n: 'a new passphrase' }, heidi.token)).data, {
    changePassword: true,
  });
  assert.equal((await api.gql('{ me { address } }', {}, heidi.token)).errors, undefined, 'the session stays');
  assert.deepEqual(codes(await signIn(heidi.address, PASSWORD)), ['UNAUTHENTICATED']);
  assert.equal((await signIn(heidi.address, 'a new passphrase')).errors, undefined);
});
