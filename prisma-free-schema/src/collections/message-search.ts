import type { CollectionSpec } from '../types.js';

/**
 * The search documents: one per message, holding only what SEARCH matches, under the
 * message's `_id` (packages/store/src/search-index.ts). FerretDB 1.24 decodes every document its
 * pushed-down filter (`{mailbox}`) returns before it evaluates a `$regex`; these are a fraction of
 * a message document, so a text search over a mailbox reads that much less.
 */
export const messageSearch: CollectionSpec = {
  name: 'messageSearch',
  description:
    'one per message: mailbox, user, uid, modseq, flags, dates, size, the lower-cased texts SEARCH matches and the fields SORT compares',
  validator: {
    bsonType: 'object',
    required: ['mailbox', 'user', 'uid', 'modseq', 'flags', 'headerLines', 'searchText'],
    properties: {
      mailbox: { bsonType: 'objectId' },
      user: { bsonType: 'objectId' },
      uid: { bsonType: 'number', minimum: 1 },
      modseq: { bsonType: 'number', minimum: 1 },
      flags: { bsonType: 'array', items: { bsonType: 'string' } },
      internalDate: { bsonType: 'date' },
      // the message's save date (IMAP SAVEDATE SEARCH keys)
      saved: { bsonType: 'date' },
      size: { bsonType: 'number', minimum: 0 },
      hdr: { bsonType: 'object' },
      headerLines: { bsonType: 'array', items: { bsonType: 'string' } },
      searchText: { bsonType: 'string' },
      // what IMAP SORT and THREAD compare (packages/store/src/sort-records.ts)
      sort: { bsonType: 'object' },
    },
  },
  indexes: [
    { name: 'mailbox_uid_unique', key: { mailbox: 1, uid: 1 }, unique: true },
    { name: 'user', key: { user: 1 } },
  ],
};
