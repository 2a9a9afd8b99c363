import type { CollectionSpec } from '../types.js';

/**
 * App passwords: a named password per mail client (IMAP, SMTP submission, ManageSieve, or a
 * GraphQL session without a second factor). Only a keyed SHA-256 of each secret is stored.
 */
export const appPasswords: CollectionSpec = {
  name: 'appPasswords',
  description: 'app passwords: keyed SHA-256 of the secret, user, name, scopes, last use and address',
  validator: {
    bsonType: 'object',
    required: ['secretHash', 'user', 'name', 'scopes', 'created', 'lastUsed', 'lastAddress'],
    properties: {
      secretHash: {
        bsonType: 'string',
        pattern: '^[0-9a-f]{64}$',
        description: 'hex HMAC-SHA256 of the secret, keyed with the user id',
      },
      user: { bsonType: 'objectId' },
      name: { bsonType: 'string', minLength: 1, maxLength: 100 },
      scopes: {
        bsonType: 'array',
        items: { enum: ['imap', 'smtp', 'managesieve', 'api'] },
      },
      created: { bsonType: 'date' },
      lastUsed: { bsonType: ['date', 'null'] },
      lastAddress: { bsonType: ['string', 'null'], maxLength: 100 },
    },
  },
  indexes: [
    { name: 'user_secret_hash_unique', key: { user: 1, secretHash: 1 }, unique: true },
    { name: 'user_created', key: { user: 1, created: 1 } },
  ],
};
