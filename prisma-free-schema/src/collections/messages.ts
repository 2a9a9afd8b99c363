import type { CollectionSpec } from '../types.js';

/** Messages: one document per message in a mailbox; large parts live in the GridFS bucket. */
export const messages: CollectionSpec = {
  name: 'messages',
  description: 'one message in one mailbox: uid, modseq, flags, dates, size, search headers, MIME tree',
  validator: {
    bsonType: 'object',
    required: ['mailbox', 'user', 'uid', 'modseq', 'flags', 'internalDate', 'size'],
    properties: {
      mailbox: { bsonType: 'objectId' },
      user: { bsonType: 'objectId' },
      uid: { bsonType: 'number', minimum: 1 },
      modseq: { bsonType: 'number', minimum: 1 },
      flags: { bsonType: 'array', items: { bsonType: 'string' } },
      internalDate: { bsonType: 'date' },
      // when the message was saved into this mailbox (IMAP SAVEDATE): set by COPY and MOVE; an
      // appended or delivered message has only `created` (packages/store/src/read.ts savedAt)
      saved: { bsonType: 'date' },
      size: { bsonType: 'number', minimum: 0 },
    },
  },
  indexes: [
    { name: 'mailbox_uid_unique', key: { mailbox: 1, uid: 1 }, unique: true },
    { name: 'mailbox_modseq', key: { mailbox: 1, modseq: 1 } },
    { name: 'user_mailbox', key: { user: 1, mailbox: 1 } },
  ],
};
