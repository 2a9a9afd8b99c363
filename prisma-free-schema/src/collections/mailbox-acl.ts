import type { CollectionSpec } from '../types.js';

/**
 * Access lists of shared mailboxes (RFC 4314): one document per (mailbox, grantee). The owner of a
 * mailbox has every right and no document. Kept apart from the mailbox document so that both hot
 * questions are top-level equality, which FerretDB 1.24 pushes down: "who may use this mailbox"
 * (`mailbox`) and "what is shared with this user" (`grantee`, a user id or `anyone`/`authenticated`).
 */
export const mailboxAcl: CollectionSpec = {
  name: 'mailboxAcl',
  description: 'access list entries of shared mailboxes: mailbox, owner, grantee (user id or group), rights',
  validator: {
    bsonType: 'object',
    required: ['mailbox', 'owner', 'grantee', 'rights', 'updated'],
    properties: {
      mailbox: { bsonType: 'objectId' },
      owner: { bsonType: 'objectId' },
      // a user's id as 24 hex digits, or the group `anyone` or `authenticated`
      grantee: { bsonType: 'string', minLength: 1, maxLength: 64 },
      // the grantee's address when it is a user (for GETACL and the console; users keep their address)
      granteeAddress: { bsonType: ['string', 'null'] },
      // letters of `lrswipkxtea`, in that order, at least one
      rights: { bsonType: 'string', minLength: 1, maxLength: 11 },
      updated: { bsonType: 'date' },
    },
  },
  indexes: [
    { name: 'mailbox_grantee_unique', key: { mailbox: 1, grantee: 1 }, unique: true },
    { name: 'grantee', key: { grantee: 1 } },
    { name: 'owner', key: { owner: 1 } },
  ],
};

/**
 * `\Seen` of the readers of a shared mailbox other than its owner: a reader does not mark mail read
 * for the others (Dovecot's private flags). One document per (mailbox, reader) holding the seen UIDs
 * as ranges, read once when the reader opens the mailbox.
 */
export const privateSeen: CollectionSpec = {
  name: 'privateSeen',
  description:
    '\\Seen of a reader of a shared mailbox other than its owner: UID ranges per (mailbox, reader)',
  validator: {
    bsonType: 'object',
    required: ['mailbox', 'reader', 'ranges', 'updated'],
    properties: {
      mailbox: { bsonType: 'objectId' },
      reader: { bsonType: 'objectId' },
      // [first, last, first, last, ...]: the seen UIDs as ascending, disjoint ranges
      ranges: { bsonType: 'array', items: { bsonType: 'number' } },
      updated: { bsonType: 'date' },
    },
  },
  indexes: [{ name: 'mailbox_reader_unique', key: { mailbox: 1, reader: 1 }, unique: true }],
};
