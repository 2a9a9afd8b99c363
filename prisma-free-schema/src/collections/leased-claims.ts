import type { CollectionSpec, JsonSchema } from '../types.js';

/**
 * What the two durable outboxes (`webhookOutbox`, `mailOutbox`) share, so that their claiming (the
 * store's leased-claims.ts) reads and writes the same fields in both.
 */

/** The lease fields of an outbox row, after its `attempts`, `claims` and its own fields. */
export const leaseProperties: Record<string, JsonSchema> = {
  nextAttemptAt: { bsonType: 'date' },
  claimedBy: { bsonType: ['string', 'null'] },
  leaseUntil: { bsonType: ['date', 'null'] },
  lastError: { bsonType: ['string', 'null'] },
  lastAttemptAt: { bsonType: ['date', 'null'] },
};

/**
 * The claims collection of an outbox: one document per claim of a row, under `<row>:<claim
 * number>`. Inserting it is the claim: the unique `_id` lets exactly one worker win, on MongoDB and
 * on FerretDB 1.24 alike (whose `findOneAndUpdate` is not atomic under concurrency, see the README).
 * `rowField` names the row (`delivery`, `entry`): stored documents and an index carry that name.
 */
export function leasedClaimsCollection(options: {
  name: string;
  description: string;
  rowField: string;
}): CollectionSpec {
  const { rowField } = options;
  return {
    name: options.name,
    description: options.description,
    validator: {
      bsonType: 'object',
      required: ['_id', rowField, 'claimedBy', 'created'],
      properties: {
        _id: { bsonType: 'string' },
        [rowField]: { bsonType: 'string' },
        claimedBy: { bsonType: 'string' },
        created: { bsonType: 'date' },
      },
    },
    indexes: [
      { name: rowField, key: { [rowField]: 1 } },
      { name: 'created', key: { created: 1 } },
    ],
  };
}
