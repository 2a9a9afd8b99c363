import type { CollectionSpec } from '../types.js';

/**
 * Two-factor sign-in (TOTP, RFC 6238), one document per user that has begun a set-up. The TOTP
 * secret is kept as base32 (the server has no key to encrypt it with); recovery codes only as
 * keyed SHA-256 hashes. `lastStep` is the last TOTP time step accepted, so a code is never
 * accepted twice.
 */
export const twoFactor: CollectionSpec = {
  name: 'twoFactor',
  description: 'two-factor sign-in: TOTP secret, pending set-up, hashed recovery codes, last time step',
  validator: {
    bsonType: 'object',
    required: ['user', 'enabled', 'secret', 'pendingSecret', 'recoveryCodes', 'lastStep', 'updated'],
    properties: {
      user: { bsonType: 'objectId' },
      enabled: { bsonType: 'bool' },
      secret: { bsonType: ['string', 'null'], pattern: '^[A-Z2-7]{16,128}$' },
      pendingSecret: { bsonType: ['string', 'null'], pattern: '^[A-Z2-7]{16,128}$' },
      recoveryCodes: {
        bsonType: 'array',
        items: { bsonType: 'string', pattern: '^[0-9a-f]{64}$' },
      },
      lastStep: { bsonType: 'number', minimum: 0 },
      enabledAt: { bsonType: ['date', 'null'] },
      updated: { bsonType: 'date' },
    },
  },
  indexes: [{ name: 'user_unique', key: { user: 1 }, unique: true }],
};
