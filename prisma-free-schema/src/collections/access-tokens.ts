import type { CollectionSpec } from '../types.js';

/**
 * Personal access tokens for third-party apps: only the SHA-256 of each token is stored, with the
 * scopes it grants; `expires` null means it never expires.
 */
export const accessTokens: CollectionSpec = {
  name: 'accessTokens',
  description: 'personal access tokens: SHA-256 of the token, user, name, scopes, expiry, last use',
  validator: {
    bsonType: 'object',
    required: ['tokenHash', 'user', 'name', 'scopes', 'created', 'expires', 'lastUsed'],
    properties: {
      tokenHash: { bsonType: 'string', pattern: '^[0-9a-f]{64}$', description: 'hex SHA-256 of the token' },
      user: { bsonType: 'objectId' },
      name: { bsonType: 'string', minLength: 1, maxLength: 100 },
      scopes: { bsonType: 'array', items: { enum: ['read', 'write', 'send', 'subscribe'] } },
      created: { bsonType: 'date' },
      expires: { bsonType: ['date', 'null'] },
      lastUsed: { bsonType: ['date', 'null'] },
    },
  },
  indexes: [
    { name: 'token_hash_unique', key: { tokenHash: 1 }, unique: true },
    { name: 'user_created', key: { user: 1, created: 1 } },
    { name: 'expires_ttl', key: { expires: 1 }, expireAfterSeconds: 0 },
  ],
};
