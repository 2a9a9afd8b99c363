import type { CollectionSpec } from '../types.js';

/** Seven days: how long a session token from signIn stays valid. */
export const SESSION_LIFETIME_SECONDS = 7 * 24 * 3600;

/**
 * Sign-in sessions of the API: only the SHA-256 of each token is stored, so a copy of the
 * database signs nobody in. A session ends at `expires`, at signOut, or when its user's password
 * changes, the user is disabled or deleted.
 */
export const sessions: CollectionSpec = {
  name: 'sessions',
  description: 'API sign-in sessions: SHA-256 of the token, user, expiry',
  validator: {
    bsonType: 'object',
    required: ['tokenHash', 'user', 'created', 'expires'],
    properties: {
      tokenHash: { bsonType: 'string', pattern: '^[0-9a-f]{64}$', description: 'hex SHA-256 of the token' },
      user: { bsonType: 'objectId' },
      created: { bsonType: 'date' },
      expires: { bsonType: 'date' },
      remoteAddress: { bsonType: ['string', 'null'], maxLength: 64 },
      client: { bsonType: 'string', maxLength: 8, description: 'web or api: who signed in' },
    },
  },
  indexes: [
    { name: 'token_hash_unique', key: { tokenHash: 1 }, unique: true },
    { name: 'user', key: { user: 1 } },
    // where the server has no TTL indexes (FerretDB), lookups ignore expired sessions and signIn deletes them
    { name: 'expires_ttl', key: { expires: 1 }, expireAfterSeconds: 0 },
  ],
};
