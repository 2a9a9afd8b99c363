import type { CollectionSpec } from '../types.js';

/** Folders: one document per mailbox, holding the counters that UIDs and MODSEQs come from. */
export const mailboxes: CollectionSpec = {
  name: 'mailboxes',
  description:
    'folders of a user: path, special use, subscription, UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, message counters',
  validator: {
    bsonType: 'object',
    required: ['user', 'path', 'subscribed', 'uidValidity', 'uidNext', 'highestModseq', 'created'],
    properties: {
      user: { bsonType: 'objectId' },
      path: { bsonType: 'string', minLength: 1, maxLength: 1024 },
      specialUse: {
        enum: [null, '\\Drafts', '\\Sent', '\\Junk', '\\Trash', '\\Archive', '\\All', '\\Flagged'],
      },
      subscribed: { bsonType: 'bool' },
      uidValidity: { bsonType: 'number', minimum: 1 },
      uidNext: { bsonType: 'number', minimum: 1 },
      highestModseq: { bsonType: 'number', minimum: 0 },
      // message counters kept by every write (packages/store/src/counters.ts); absent in mailboxes
      // stored before they existed, which get them computed on first use
      messages: { bsonType: 'number', minimum: 0 },
      unseen: { bsonType: 'number', minimum: 0 },
      size: { bsonType: 'number', minimum: 0 },
      // the layout of the mailbox's messageSearch documents (absent in mailboxes from before them)
      searchVersion: { bsonType: 'number', minimum: 1 },
      created: { bsonType: 'date' },
    },
  },
  indexes: [
    { name: 'user_path_unique', key: { user: 1, path: 1 }, unique: true },
    { name: 'user_special_use', key: { user: 1, specialUse: 1 } },
  ],
};
