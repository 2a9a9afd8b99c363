import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Double, ObjectId } from 'mongodb';
import { validateDocument, users, mailboxes, journal } from '@wildduck/schema';

const validUser = () => ({
  address: 'a@example.com',
  passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$abc$def',
  name: null,
  role: 'user',
  quota: null,
  storageUsed: new Double(0),
  disabled: false,
  created: new Date(),
});

test('a valid user document passes', () => {
  assert.deepEqual(validateDocument(users.validator!, validUser()), []);
});

test('missing fields, wrong types, enums and patterns are each reported', () => {
  const { address: _address, ...withoutAddress } = validUser();
  assert.deepEqual(validateDocument(users.validator!, withoutAddress), ['address is required']);
  assert.deepEqual(validateDocument(users.validator!, { ...validUser(), role: 'root' }), [
    'role must be one of "user", "admin"',
  ]);
  assert.deepEqual(validateDocument(users.validator!, { ...validUser(), passwordHash: 'plaintext' }), [
    'passwordHash does not match ^\\$(argon2id|2[aby])\\$',
  ]);
  assert.deepEqual(validateDocument(users.validator!, { ...validUser(), disabled: 'no' }), [
    'disabled must be of type bool',
  ]);
  assert.deepEqual(validateDocument(users.validator!, { ...validUser(), storageUsed: -1 }), [
    'storageUsed must be at least 0',
  ]);
});

test('ObjectIds, dates and arrays are recognised', () => {
  const mailbox = {
    user: new ObjectId(),
    path: 'INBOX',
    specialUse: null,
    subscribed: true,
    uidValidity: 1,
    uidNext: 1,
    highestModseq: new Double(0),
    created: new Date(),
  };
  assert.deepEqual(validateDocument(mailboxes.validator!, mailbox), []);
  assert.deepEqual(validateDocument(mailboxes.validator!, { ...mailbox, user: 'not-an-id' }), [
    'user must be of type objectId',
  ]);
  const entry = {
    mailbox: new ObjectId(),
    user: new ObjectId(),
    modseq: 3,
    kind: 'FLAGS',
    uid: 1,
    flags: ['\\Seen', 4],
    created: new Date(),
    expiresAt: new Date(),
  };
  assert.deepEqual(validateDocument(journal.validator!, entry), ['flags[1] must be of type string']);
});
