/** Administration: users and figures (role admin, or the server's API_TOKEN). */
export const adminTypeDefs = /* GraphQL */ `
  enum UserOrderField {
    address
    storageUsed
    created
  }

  input UserOrder {
    field: UserOrderField!
    descending: Boolean = false
  }

  type UserEdge {
    cursor: String!
    node: User!
  }

  type UserConnection {
    edges: [UserEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  input CreateUserInput {
    address: String!
    password: String!
    name: String
    role: Role = user
    "Bytes; null or absent: unlimited."
    quota: Float
  }

  input UpdateUserInput {
    name: String
    password: String
    role: Role
    "Bytes; null: unlimited."
    quota: Float
    disabled: Boolean
  }

  type DeliveriesPerMinute {
    minute: DateTime!
    count: Int!
  }

  type ServerStats {
    users: Int!
    messages: Int!
    "Bytes of all stored messages."
    storage: Float!
    "Messages stored by delivery (LMTP, SMTP, submission) per minute, the last 60 minutes, oldest first."
    deliveries: [DeliveriesPerMinute!]!
  }

  extend type Query {
    "Admin: accounts, filtered by a substring of the address."
    users(search: String, first: Int = 50, after: String, orderBy: UserOrder): UserConnection!
    "Admin."
    user(id: ID!): User
    "Admin."
    stats: ServerStats!
  }

  extend type Mutation {
    "Admin."
    createUser(input: CreateUserInput!): User!
    "Admin."
    updateUser(id: ID!, input: UpdateUserInput!): User!
    "Admin: removes every message, mailbox, token and session of the user, and releases every stored part."
    deleteUser(id: ID!): Boolean!
  }
`;
