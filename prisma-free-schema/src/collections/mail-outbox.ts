import type { CollectionSpec } from '../types.js';
import { leaseProperties, leasedClaimsCollection } from './leased-claims.js';

/**
 * Mail a user's filters asked to send after a delivery (redirects and forwarding beside a kept
 * copy, vacation replies, rejection notices), written before the delivery is answered and deleted
 * once the smarthost (or a local INBOX) took it, or once it was given up and the failure recorded
 * for the user. What to send is either the bytes of a small composed message (`message`), or a
 * reference to one of the user's stored copies (`sourceMessages`, read from `skip` on, with
 * `prefix` on top). An entry is due at `nextAttemptAt`; a worker that claims it (an insert into
 * `mailOutboxClaims`) moves `nextAttemptAt` to the end of its lease, so an entry whose worker died
 * becomes due again by itself.
 */
export const mailOutbox: CollectionSpec = {
  name: 'mailOutbox',
  description: 'outgoing mail of filters (redirects, vacation replies, rejection notices) not yet sent',
  validator: {
    bsonType: 'object',
    required: ['_id', 'kind', 'user', 'from', 'to', 'attempts', 'claims', 'nextAttemptAt', 'created'],
    properties: {
      _id: { bsonType: 'string', minLength: 1, maxLength: 100 },
      kind: { enum: ['redirect', 'vacation', 'rejection-notice'] },
      /** Whose filter asked for it: a failure is recorded for this user (lastFilterError). */
      user: { bsonType: 'objectId' },
      /** The envelope sender ('' for the null sender of automatic replies). */
      from: { bsonType: 'string', maxLength: 320 },
      to: { bsonType: 'array', items: { bsonType: 'string', minLength: 1, maxLength: 320 } },
      /** The whole message, for small composed ones (vacation replies, rejection notices). */
      message: { bsonType: ['binData', 'null'] },
      /** The user's stored copies of the message (any one will do, tried in order). */
      sourceMessages: { bsonType: ['array', 'null'], items: { bsonType: 'objectId' } },
      /** Bytes of the stored copy left out at its start (its Return-Path). */
      skip: { bsonType: 'number', minimum: 0 },
      /** Bytes sent before the stored copy's. */
      prefix: { bsonType: ['binData', 'null'] },
      /** Attempts started so far (a claim counts as one). */
      attempts: { bsonType: 'number', minimum: 0 },
      /** How many times it was claimed: a claim inserts `mailOutboxClaims` `<_id>:<claims + 1>`, unique. */
      claims: { bsonType: 'number', minimum: 0 },
      ...leaseProperties,
      created: { bsonType: 'date' },
    },
  },
  indexes: [{ name: 'next_attempt', key: { nextAttemptAt: 1 } }],
};

/** One document per claim of a mail outbox entry, under `<entry>:<claim number>`. */
export const mailOutboxClaims: CollectionSpec = leasedClaimsCollection({
  name: 'mailOutboxClaims',
  description: 'claims of mail outbox entries by workers (`<entry>:<n>`, unique: one winner per claim)',
  rowField: 'entry',
});
