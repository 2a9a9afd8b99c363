/** The server-wide change feed and history for administrators (issue 18). */
export const adminFeedTypeDefs = /* GraphQL */ `
  enum AdminEventType {
    "A message stored by LMTP, SMTP, submission or GraphQL send (one event per recipient)."
    DELIVERY
    "A delivery refused or failed for one recipient (quota, filter reject, store error)."
    DELIVERY_FAILED
    SIGN_IN
    SIGN_IN_FAILED
    "A user's storage crossed 90 % of the quota (or a delivery was refused for quota)."
    QUOTA_WARNING
  }

  type AdminEvent {
    "Opaque; pass as since to resume after this event (as mailboxChanges' cursor)."
    cursor: String!
    id: ID!
    type: AdminEventType!
    at: DateTime!
    "The user concerned; null for a failed sign-in as an address that has no account."
    userId: ID
    "The user's address, or the name tried at a failed sign-in."
    address: String
    "lmtp, smtp, submission, api, imap, managesieve, web"
    protocol: String
    "The client address (sign-ins) or the envelope sender (deliveries)."
    remote: String
    "A short human reason (failures) or the subject (deliveries)."
    detail: String
    "DELIVERY: the message's bytes."
    size: Float
    "QUOTA_WARNING: storage used and quota, in bytes."
    storageUsed: Float
    quota: Float
  }

  enum StatsRange {
    "the last 60 minutes, one point a minute"
    HOUR
    "the last 24 hours, one point an hour"
    DAY
    "the last 30 days, one point a day"
    MONTH
  }

  type StatsPoint {
    "Start of the period."
    at: DateTime!
    deliveries: Int!
    "Bytes stored by every user at the end of the period (the last sample taken in it), null when no sample was taken."
    storage: Float
  }

  type SessionInfo {
    id: ID!
    "web, api"
    client: String
    created: DateTime!
    expires: DateTime
    remote: String
  }

  "What an administrator sees of one user."
  type UserDetail {
    user: User!
    mailboxes: [Mailbox!]!
    "Sign-in sessions of the API and web console, newest first."
    sessions: [SessionInfo!]!
    appPasswords: [AppPassword!]!
    "The user's latest events, newest first (up to 50)."
    recentEvents: [AdminEvent!]!
  }

  extend type Query {
    "Admin: a cursor for this moment; ask for it before the first paint, then subscribe with it as since."
    adminEventsCursor: String!
    "Admin: the latest events, newest first (first: 1 to 200)."
    recentAdminEvents(first: Int = 50, types: [AdminEventType!]): [AdminEvent!]!
    "Admin: deliveries and storage over time."
    statsHistory(range: StatsRange!): [StatsPoint!]!
    "Admin."
    userDetail(id: ID!): UserDetail
  }

  extend type Subscription {
    "Admin: every event of the server, from any instance. since replays what came after that cursor first."
    adminEvents(since: String, types: [AdminEventType!]): AdminEvent!
  }
`;
