/** The webhook outbox (SPAM / NOT_SPAM deliveries to WEBHOOK_URLS) for administrators. */
export const webhookTypeDefs = /* GraphQL */ `
  enum WebhookDeliveryState {
    "Waiting: due now, between retries, or being sent."
    PENDING
    "Gave up (attempts used up, or an answer not worth retrying); kept seven days."
    FAILED
  }

  "One delivery of an event to one receiver (see docs/operations.md, Webhook outbox)."
  type WebhookDelivery {
    "The idempotency id the receiver sees (body id, header x-wildduck-delivery), the same on every attempt."
    id: ID!
    "The event type, e.g. SPAM or NOT_SPAM."
    type: String!
    "The receiver, without credentials or query string."
    url: String!
    state: WebhookDeliveryState!
    "Attempts made so far."
    attempts: Int!
    "Why the last attempt failed (the receiver's status and the start of its answer, or the network error)."
    lastError: String
    lastAttemptAt: DateTime
    "When a pending delivery is tried next (or its current attempt's lease ends)."
    nextAttemptAt: DateTime
    failedAt: DateTime
    createdAt: DateTime!
  }

  type WebhookOutbox {
    "Deliveries waiting, over all instances."
    pending: Int!
    "Deliveries that gave up and are kept for inspection."
    failed: Int!
    "When the oldest waiting delivery was queued; null when none waits."
    oldestPendingAt: DateTime
    "Failed deliveries (newest first), then waiting ones that have failed at least once."
    recent: [WebhookDelivery!]!
  }

  extend type Query {
    "Admin: the webhook outbox: what waits, what failed and why (recent: at most 100)."
    webhookOutbox(recent: Int = 20): WebhookOutbox!
  }

  extend type Mutation {
    "Admin: queues a failed delivery again, due now, with its attempts counted afresh; false when no failed delivery has this id."
    retryWebhookDelivery(id: ID!): Boolean!
  }
`;
