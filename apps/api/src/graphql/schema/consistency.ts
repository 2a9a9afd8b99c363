/** The store's consistency check (`npm run fsck`) for administrators. */
export const consistencyTypeDefs = /* GraphQL */ `
  "One inconsistency the check found (see docs/operations.md, Consistency check)."
  type ConsistencyFinding {
    "e.g. part-refcount, storage-counter, mailbox-counters, uid-not-below-uidnext, orphaned-part."
    kind: String!
    "Null for store-wide findings (a part shared by several users)."
    userId: ID
    mailboxId: ID
    "The documents concerned: message ids, part hashes, upload ids, UIDs."
    ids: [String!]!
    expected: String!
    actual: String!
    "Whether repairConsistency fixes it."
    repairable: Boolean!
  }

  type ConsistencyScope {
    users: Int!
    mailboxes: Int!
    messages: Int!
    parts: Int!
    "False for a one-user check (orphaned parts are looked for only over all users)."
    allUsers: Boolean!
  }

  type ConsistencyReport {
    findings: [ConsistencyFinding!]!
    scope: ConsistencyScope!
  }

  type ConsistencyRepair {
    finding: ConsistencyFinding!
    "False when the finding no longer held (a writer fixed it meanwhile)."
    changed: Boolean!
    "What was changed, e.g. storageUsed 1200 -> 1000."
    action: String!
  }

  extend type Query {
    "Admin: checks the store (one user, or all), changing nothing."
    consistencyCheck(userId: ID): ConsistencyReport!
  }

  extend type Mutation {
    "Admin: checks, then repairs what can be repaired (counters, reference counts, orphans); never deletes a message."
    repairConsistency(userId: ID): [ConsistencyRepair!]!
  }
`;
