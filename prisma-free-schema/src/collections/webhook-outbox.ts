import type { CollectionSpec } from '../types.js';
import { leaseProperties, leasedClaimsCollection } from './leased-claims.js';

/** Seven days: how long a delivery that gave up stays visible to administrators before it is swept. */
export const WEBHOOK_FAILED_RETENTION_SECONDS = 7 * 24 * 3600;

/**
 * The webhook outbox: one document per event and receiver, written with the journal entry of the
 * event, deleted once the receiver answered 2xx. `_id` is the delivery id the receiver sees (body
 * `id`, header `x-wildduck-delivery`), the same on every attempt, so it can drop duplicates.
 * A pending delivery is due at `nextAttemptAt`; a worker that claims it moves `nextAttemptAt` to the
 * end of its lease, so a delivery whose worker died becomes due again by itself.
 */
export const webhookOutbox: CollectionSpec = {
  name: 'webhookOutbox',
  description: 'webhook deliveries not yet delivered: receiver URL, signed body, state, attempts, last error',
  validator: {
    bsonType: 'object',
    required: ['_id', 'type', 'url', 'body', 'state', 'attempts', 'claims', 'nextAttemptAt', 'created'],
    properties: {
      _id: { bsonType: 'string', minLength: 1, maxLength: 100 },
      type: { bsonType: 'string', minLength: 1, maxLength: 200 },
      url: { bsonType: 'string', minLength: 1 },
      /** The JSON text POSTed, exactly (its `id` and `created` never change between attempts). */
      body: { bsonType: 'string' },
      state: { enum: ['pending', 'failed'] },
      /** Attempts started so far (a claim counts as one, so a delivery that crashes its worker ends too). */
      attempts: { bsonType: 'number', minimum: 0 },
      /** How many times it was claimed: a claim inserts `webhookClaims` `<_id>:<claims + 1>`, unique. */
      claims: { bsonType: 'number', minimum: 0 },
      ...leaseProperties,
      failedAt: { bsonType: ['date', 'null'] },
      created: { bsonType: 'date' },
    },
  },
  indexes: [{ name: 'state_next_attempt', key: { state: 1, nextAttemptAt: 1 } }],
};

/** One document per claim of a webhook delivery, under `<delivery>:<claim number>`. */
export const webhookClaims: CollectionSpec = leasedClaimsCollection({
  name: 'webhookClaims',
  description: 'claims of webhook deliveries by workers (`<delivery>:<n>`, unique: one winner per claim)',
  rowField: 'delivery',
});
