/** The live change feed. */
export const changeTypeDefs = /* GraphQL */ `
  enum ChangeType {
    EXISTS
    EXPUNGE
    FLAGS
    MAILBOX_CREATED
    MAILBOX_DELETED
    MAILBOX_RENAMED
    SPAM
    NOT_SPAM
  }

  """
  One change of the signed-in user's data. Message changes (EXISTS, EXPUNGE, FLAGS) name the
  mailbox and the UID; FLAGS carries the new flags; SPAM and NOT_SPAM name the message too.
  """
  type MailboxChange {
    "Opaque; pass as since to resume after this change."
    cursor: String!
    type: ChangeType!
    mailboxId: ID!
    uid: Int
    modseq: Float
    flags: [String!]
    "The message (EXISTS, FLAGS, SPAM, NOT_SPAM) when known."
    messageId: ID
    "The mailbox path (mailbox events, SPAM, NOT_SPAM)."
    path: String
  }

  extend type Query {
    """
    A mailboxChanges cursor for this moment. Ask for it before loading mailboxes and messages, then
    subscribe with it as since: nothing that changes in between is missed (a change may come twice).
    """
    changesCursor: String!
  }
`;
