import type { CollectionSpec } from '../types.js';

/**
 * Subscribed names that have no mailbox (any more): IMAP keeps a subscription when its mailbox is
 * deleted (RFC 3501 6.3.4, 6.3.6), so LIST (SUBSCRIBED) shows it with \NonExistent (RFC 5258) and LSUB
 * still lists it, until the client unsubscribes. A name with a mailbox is subscribed in the mailbox
 * document itself (`subscribed`).
 */
export const subscriptions: CollectionSpec = {
  name: 'subscriptions',
  description: 'subscribed mailbox names without a mailbox (kept after DELETE until UNSUBSCRIBE)',
  validator: {
    bsonType: 'object',
    required: ['user', 'path', 'created'],
    properties: {
      user: { bsonType: 'objectId' },
      path: { bsonType: 'string', minLength: 1, maxLength: 1024 },
      created: { bsonType: 'date' },
    },
  },
  indexes: [{ name: 'user_path_unique', key: { user: 1, path: 1 }, unique: true }],
};
