import type { CollectionSpec } from '../types.js';

/** Seven days: how long a disconnected client can stay away and still catch up change by change. */
export const JOURNAL_RETENTION_SECONDS = 7 * 24 * 3600;

/** The change journal: the source of truth for "what changed in mailbox M after modseq N". */
export const journal: CollectionSpec = {
  name: 'journal',
  description: 'one change per entry (mailbox, modseq, kind, uid, flags); expires after the retention period',
  validator: {
    bsonType: 'object',
    required: ['mailbox', 'user', 'modseq', 'kind', 'created', 'expiresAt'],
    properties: {
      mailbox: { bsonType: 'objectId' },
      user: { bsonType: 'objectId' },
      modseq: { bsonType: 'number', minimum: 0 },
      /** floor(modseq / JOURNAL_PAGE_SIZE): readers ask for one page by equality (packages/store/src/journal.ts). */
      page: { bsonType: 'number', minimum: 0 },
      kind: {
        enum: [
          'EXISTS',
          'EXPUNGE',
          'FLAGS',
          'MAILBOX_CREATED',
          'MAILBOX_DELETED',
          'MAILBOX_RENAMED',
          'SPAM',
          'NOT_SPAM',
        ],
      },
      uid: { bsonType: ['number', 'null'] },
      flags: { bsonType: ['array', 'null'], items: { bsonType: 'string' } },
      /**
       * A FLAGS entry of one reader's own \Seen in a shared mailbox (privateSeen): `flags` are that
       * reader's flags of the message; every other reader's view steps over it.
       */
      reader: { bsonType: 'objectId' },
      created: { bsonType: 'date' },
      expiresAt: { bsonType: 'date' },
    },
  },
  indexes: [
    { name: 'mailbox_modseq', key: { mailbox: 1, modseq: 1 } },
    { name: 'mailbox_page_modseq', key: { mailbox: 1, page: 1, modseq: 1 } },
    { name: 'user_created', key: { user: 1, created: 1 } },
    { name: 'expires_at_ttl', key: { expiresAt: 1 }, expireAfterSeconds: 0 },
  ],
};
