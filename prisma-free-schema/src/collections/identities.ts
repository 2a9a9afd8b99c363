import type { CollectionSpec } from '../types.js';

/**
 * The names and addresses a user sends as, with their signatures (issue 18). One document per user
 * whose `_id` is the user's id, holding the whole list, so compose and send read it with one `_id`
 * equality; writes replace the list under the user's identities lock.
 */
export const identities: CollectionSpec = {
  name: 'identities',
  description: 'per-user sending identities (name, address, signature, default); _id is the user id',
  validator: {
    bsonType: 'object',
    required: ['list'],
    properties: {
      _id: { bsonType: 'objectId', description: 'the user id' },
      list: {
        bsonType: 'array',
        items: {
          bsonType: 'object',
          required: ['id', 'name', 'address', 'signatureHtml', 'isDefault', 'created'],
          properties: {
            id: { bsonType: 'string', maxLength: 24 },
            name: { bsonType: 'string', maxLength: 200 },
            address: { bsonType: 'string', maxLength: 320 },
            signatureHtml: { bsonType: 'string', maxLength: 20000 },
            isDefault: { bsonType: 'bool' },
            created: { bsonType: 'date' },
          },
        },
      },
    },
  },
  // `_id` is the key and already unique: no index of its own
  indexes: [],
};

/**
 * Addresses a user has written to (GraphQL send and SMTP submission), for compose's suggestions:
 * one document per user and address, `_id` = "<user id>:<address>" so recording is an upsert by
 * `_id`, and a user's are read with the top-level equality `{user}`. Capped per user by the store.
 */
export const contacts: CollectionSpec = {
  name: 'contacts',
  description: 'addresses a user has written to: _id = "<user>:<address>", name, count, last used',
  validator: {
    bsonType: 'object',
    required: ['_id', 'user', 'address', 'name', 'count', 'lastUsed'],
    properties: {
      _id: { bsonType: 'string', maxLength: 400 },
      user: { bsonType: 'objectId' },
      address: { bsonType: 'string', maxLength: 320 },
      name: { bsonType: 'string', maxLength: 200 },
      count: { bsonType: ['int', 'long', 'double'] },
      lastUsed: { bsonType: 'date' },
    },
  },
  indexes: [{ name: 'user', key: { user: 1 } }],
};
