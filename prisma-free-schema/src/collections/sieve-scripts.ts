import type { CollectionSpec } from '../types.js';

/**
 * Sieve scripts (RFC 5228) a user keeps through ManageSieve (RFC 5804) or the API: name, the script
 * text as uploaded, its UTF-8 size and whether it is the one active script. At most one script of a
 * user is active; the store keeps it so (packages/store/src/sieve-scripts.ts).
 */
export const sieveScripts: CollectionSpec = {
  name: 'sieveScripts',
  description: 'Sieve scripts: user, name, content, UTF-8 size, active (at most one per user)',
  validator: {
    bsonType: 'object',
    required: ['user', 'name', 'content', 'size', 'active', 'created', 'updated'],
    properties: {
      user: { bsonType: 'objectId' },
      name: { bsonType: 'string', minLength: 1, maxLength: 128 },
      content: { bsonType: 'string' },
      size: { bsonType: 'number', minimum: 0 },
      active: { bsonType: 'bool' },
      created: { bsonType: 'date' },
      updated: { bsonType: 'date' },
    },
  },
  indexes: [
    { name: 'user_name_unique', key: { user: 1, name: 1 }, unique: true },
    { name: 'user_active', key: { user: 1, active: 1 } },
  ],
};
