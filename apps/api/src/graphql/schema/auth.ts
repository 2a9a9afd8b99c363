/** Sessions, personal access tokens, the signed-in user. */
export const authTypeDefs = /* GraphQL */ `
  enum Role {
    user
    admin
  }

  "What a personal access token may do. Session tokens may do everything their user may."
  enum Scope {
    "queries of mailboxes and messages, attachment downloads"
    read
    "flags, moves, deletes, mailboxes, drafts"
    write
    "the send mutation"
    send
    "the mailboxChanges subscription"
    subscribe
  }

  type User {
    id: ID!
    address: String!
    name: String
    role: Role!
    "Bytes; null means unlimited."
    quota: Float
    "Bytes used by stored messages."
    storageUsed: Float!
    disabled: Boolean!
    created: DateTime!
    "Messages stored (admin views)."
    messageCount: Int!
  }

  type Session {
    "Send as Authorization: Bearer <token>. Shown once."
    token: String!
    expires: DateTime!
    user: User!
  }

  type AccessToken {
    id: ID!
    name: String!
    scopes: [Scope!]!
    created: DateTime!
    expires: DateTime
    lastUsed: DateTime
  }

  type NewAccessToken {
    "The secret, shown once: send as Authorization: Bearer <token>."
    token: String!
    accessToken: AccessToken!
  }

  extend type Query {
    "The signed-in user's personal access tokens (never their secrets)."
    accessTokens: [AccessToken!]!
  }

  extend type Mutation {
    "Ends the session whose token made this request."
    signOut: Boolean!
    "A token for a third-party app, limited to scopes; expiresInDays null means it never expires."
    createAccessToken(name: String!, scopes: [Scope!]!, expiresInDays: Int): NewAccessToken!
    revokeAccessToken(id: ID!): Boolean!
  }
`;
