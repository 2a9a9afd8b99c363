/** Addresses of shared mailboxes (team inboxes, issue 19): administrators give a mailbox an address. */
export const mailboxAddressTypeDefs = /* GraphQL */ `
  "An address that delivers into one mailbox (a team inbox), as mail of the mailbox's owner: the owner's filters run on it (its vacation reply excepted) and its quota is charged."
  type MailboxAddress {
    "Lower-cased."
    address: String!
    mailboxId: ID!
    "The mailbox's path in its owner's folders."
    mailboxPath: String!
    ownerAddress: String!
    created: DateTime!
  }

  extend type Query {
    "The addresses of the mailboxes a user owns, in address order (admin)."
    adminMailboxAddresses(userId: ID!): [MailboxAddress!]!
  }

  extend type Mutation {
    "Gives a mailbox an address (admin). BAD_USER_INPUT: a bad address, an unknown mailbox, or an address a user or another mailbox has."
    adminCreateMailboxAddress(address: String!, mailboxId: ID!): MailboxAddress!
    "Takes a mailbox's address away (admin); false when no mailbox has it."
    adminDeleteMailboxAddress(address: String!): Boolean!
  }
`;
