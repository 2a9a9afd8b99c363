import type { CollectionSpec } from '../types.js';

/**
 * Locks held in the store while Redis cannot be reached, so that instances still exclude each other
 * (packages/store store-locks.ts). A lock is a document under the lock's name: inserting it is
 * taking the lock, the unique `_id` lets exactly one instance win, on MongoDB and on FerretDB 1.24
 * alike (whose conditional updates are not atomic). `standIn` documents (`stand-in:<instance>`)
 * say which instances are using these locks now, so the others take them too.
 */
export const storeLocks: CollectionSpec = {
  name: 'storeLocks',
  description:
    'locks taken through the store while Redis is away (unique `_id`: one holder), and which instances use them',
  validator: {
    bsonType: 'object',
    required: ['_id', 'owner', 'expiresAt'],
    properties: {
      _id: { bsonType: 'string' },
      owner: { bsonType: 'string' },
      expiresAt: { bsonType: 'date' },
      standIn: { bsonType: 'bool' },
    },
  },
  indexes: [{ name: 'standIn', key: { standIn: 1 } }],
};
