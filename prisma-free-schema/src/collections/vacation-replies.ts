import type { CollectionSpec } from '../types.js';

/**
 * Vacation replies sent (RFC 5230 4.6: one per sender per `:days`): `_id` is a hash of the user,
 * the vacation handle and the sender, so the check at delivery is one `_id` equality; `expires` is
 * when the same sender may be answered again (compared by the store: FerretDB has no TTL index).
 */
export const vacationReplies: CollectionSpec = {
  name: 'vacationReplies',
  description: 'vacation replies sent: _id = sha256(user, handle, sender), until when not again',
  validator: {
    bsonType: 'object',
    required: ['_id', 'user', 'expires'],
    properties: {
      _id: { bsonType: 'string', minLength: 64, maxLength: 64 },
      user: { bsonType: 'objectId' },
      expires: { bsonType: 'date' },
    },
  },
  indexes: [
    { name: 'user', key: { user: 1 } },
    { name: 'expires', key: { expires: 1 } },
  ],
};
