// App passwords and two-factor sign-in, seen from real mail clients (imapflow, nodemailer): an app
// password signs IMAP and submission in (and its use is recorded), a revoked one does not, a scope
// is kept to, and with two-factor on the account password gets a hint to use an app password.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import {
  beginTwoFactorSetup,
  createAppPassword,
  listAppPasswords,
  revokeAppPassword,
  TWO_FACTOR_APP_PASSWORD_HINT,
} from '@wildduck/mail-service';
import { enableTwoFactor as turnOnTwoFactor, type AppPasswordScope } from '@wildduck/store';
import { startMail, type MailHarness } from './mail-harness.js';

let mail: MailHarness;

before(async () => {
  mail = await startMail('app-passwords');
});
after(async () => {
  await mail.close();
});

const PASSWORD = 'secretpass';
let counter = 0;

/** A fresh account per test, so the tests never see each other's rate limits. */
async function newUser(name: string): Promise<{ address: string; _id: ObjectId }> {
  const address = `${name}-${++counter}-${randomBytes(3).toString('hex')}@example.com`;
  return { address, _id: new ObjectId(await mail.createUser(address)) };
}

async function appPassword(
  user: { _id: ObjectId },
  scopes: AppPasswordScope[] = ['imap', 'smtp'],
): Promise<{ password: string; id: ObjectId }> {
  const created = await createAppPassword(mail.ctx.db, { user: user._id, name: 'phone', scopes });
  assert.ok(created.ok);
  return { password: created.password, id: created.appPassword._id };
}

/** Turns two-factor on: a set-up, confirmed in the store (the code check is the API tests' part). */
async function enableTwoFactor(user: { _id: ObjectId; address: string }): Promise<void> {
  const setup = await beginTwoFactorSetup(mail.ctx.db, user);
  assert.ok(setup.ok);
  const now = new Date();
  assert.ok(
    await turnOnTwoFactor(mail.ctx.db, user._id, setup.secret, { recoveryCodes: [], lastStep: 0, now }),
  );
}

/** Logs in with imapflow and logs out again; answers null, or the error of a refused login. */
async function imapLogin(
  address: string,
  pass: string,
): Promise<null | { serverResponseCode?: string; response?: string; authenticationFailed?: boolean }> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: mail.port,
    secure: false,
    auth: { user: address, pass },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    client.close();
    return error as { serverResponseCode?: string; response?: string };
  }
  await client.logout();
  return null;
}

/** Sends a message to the sender itself through submission; answers null, or the SMTP error. */
async function submit(
  address: string,
  pass: string,
): Promise<null | { responseCode?: number; response?: string }> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: mail.submissionPort,
    secure: false,
    requireTLS: true,
    name: 'client.test',
    tls: { rejectUnauthorized: false },
    auth: { user: address, pass },
  });
  try {
    await transport.sendMail({ from: address, to: address, subject: 'hello', text: 'Hello there.' });
    return null;
  } catch (error) {
    return error as { responseCode?: number; response?: string };
  } finally {
    transport.close();
  }
}

test('IMAP: an app password logs in (spaces or none) and its last use and address are recorded', async () => {
  const user = await newUser('imap');
  const { password, id } = await appPassword(user);
  assert.match(password, /^[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}$/);
  const [before] = await listAppPasswords(mail.ctx.db, user._id);
  assert.equal(before!.lastUsed, null);

  const startedAt = Date.now();
  assert.equal(await imapLogin(user.address, password), null);
  assert.equal(await imapLogin(user.address, password.replace(/ /g, '').toUpperCase()), null);
  const [after] = await listAppPasswords(mail.ctx.db, user._id);
  assert.ok(after!._id.equals(id));
  assert.ok(after!.lastUsed && after!.lastUsed.getTime() >= startedAt - 1000, 'lastUsed is recorded');
  assert.match(after!.lastAddress ?? '', /127\.0\.0\.1/);
  // the account password still works while two-factor is off
  assert.equal(await imapLogin(user.address, PASSWORD), null);
});

test('IMAP: a revoked app password is refused like a wrong password', async () => {
  const user = await newUser('revoked');
  const { password, id } = await appPassword(user);
  assert.equal(await imapLogin(user.address, password), null);
  assert.ok(await revokeAppPassword(mail.ctx.db, user._id, id));
  const refused = await imapLogin(user.address, password);
  assert.ok(refused, 'the revoked password is refused');
  assert.equal(refused.serverResponseCode, 'AUTHENTICATIONFAILED');
  assert.doesNotMatch(String(refused.response), /app password/);
});

test('IMAP: with two-factor on, the account password gets the hint and an app password works', async () => {
  const user = await newUser('imap2fa');
  const { password } = await appPassword(user);
  await enableTwoFactor(user);

  const refused = await imapLogin(user.address, PASSWORD);
  assert.ok(refused, 'the account password is refused');
  assert.equal(refused.serverResponseCode, 'AUTHENTICATIONFAILED');
  assert.ok(refused.authenticationFailed);
  assert.match(String(refused.response), /NO \[AUTHENTICATIONFAILED\] Two-factor sign-in is on/);
  assert.ok(String(refused.response).includes(TWO_FACTOR_APP_PASSWORD_HINT));

  // a wrong password learns nothing about two-factor
  const wrong = await imapLogin(user.address, 'not the password');
  assert.ok(wrong);
  assert.equal(wrong.serverResponseCode, 'AUTHENTICATIONFAILED');
  assert.doesNotMatch(String(wrong.response), /Two-factor/);

  assert.equal(await imapLogin(user.address, password), null);
});

test('IMAP: an app password without the imap scope is refused', async () => {
  const user = await newUser('smtponly');
  const { password } = await appPassword(user, ['smtp']);
  const refused = await imapLogin(user.address, password);
  assert.ok(refused);
  assert.equal(refused.serverResponseCode, 'AUTHENTICATIONFAILED');
  assert.equal(await submit(user.address, password), null, 'it works for submission');
});

test('submission: an app password sends, and records its use', async () => {
  const user = await newUser('smtp');
  const { password } = await appPassword(user);
  assert.equal(await submit(user.address, password), null);
  const [used] = await listAppPasswords(mail.ctx.db, user._id);
  assert.ok(used!.lastUsed);
  assert.match(used!.lastAddress ?? '', /127\.0\.0\.1/);
});

test('submission: with two-factor on, the account password gets 535 5.7.8 with the hint', async () => {
  const user = await newUser('smtp2fa');
  const { password, id } = await appPassword(user);
  await enableTwoFactor(user);

  const refused = await submit(user.address, PASSWORD);
  assert.ok(refused, 'the account password is refused');
  assert.equal(refused.responseCode, 535);
  assert.match(
    String(refused.response),
    /^535 5\.7\.8 Two-factor sign-in is on for this account: use an app password/,
  );

  const wrong = await submit(user.address, 'not the password');
  assert.ok(wrong);
  assert.equal(wrong.responseCode, 535);
  assert.match(String(wrong.response), /^535 5\.7\.8 authentication failed/);

  assert.equal(await submit(user.address, password), null, 'the app password works');
  await revokeAppPassword(mail.ctx.db, user._id, id);
  const revoked = await submit(user.address, password);
  assert.equal(revoked?.responseCode, 535);
});

test('submission: an app password without the smtp scope is refused', async () => {
  const user = await newUser('imaponly');
  const { password } = await appPassword(user, ['imap']);
  const refused = await submit(user.address, password);
  assert.ok(refused);
  assert.equal(refused.responseCode, 535);
  assert.match(String(refused.response), /^535 5\.7\.8/);
  assert.equal(await imapLogin(user.address, password), null, 'it works for IMAP');
});
