import type { CollectionSpec } from '../types.js';

/** Accounts: one document per mailbox owner or administrator. */
export const users: CollectionSpec = {
  name: 'users',
  description: 'accounts: address, password hash, role, quota and exact storage used',
  validator: {
    bsonType: 'object',
    required: ['address', 'passwordHash', 'role', 'storageUsed', 'disabled', 'created'],
    properties: {
      address: { bsonType: 'string', minLength: 3, maxLength: 320, description: 'lower-cased email address' },
      passwordHash: {
        bsonType: 'string',
        pattern: '^\\$(argon2id|2[aby])\\$',
        description: 'argon2id or bcrypt hash',
      },
      name: { bsonType: ['string', 'null'], maxLength: 256 },
      role: { enum: ['user', 'admin'] },
      quota: { bsonType: ['number', 'null'], minimum: 0, description: 'bytes; null means unlimited' },
      storageUsed: { bsonType: 'number', minimum: 0, description: 'bytes, kept exact with $inc' },
      uidValidityHigh: {
        bsonType: 'number',
        minimum: 1,
        maximum: 4294967295,
        description:
          'the highest UIDVALIDITY any mailbox of the user had (packages/store/src/uid-validity.ts)',
      },
      disabled: { bsonType: 'bool' },
      filtersUpdated: {
        bsonType: ['date', 'null'],
        description:
          'when a Sieve script or a filter setting last changed; unset: never (delivery runs no filters)',
      },
      created: { bsonType: 'date' },
    },
  },
  indexes: [{ name: 'address_unique', key: { address: 1 }, unique: true }],
};
