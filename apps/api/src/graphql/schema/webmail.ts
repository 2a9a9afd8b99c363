/**
 * What the webmail needs beyond reading and sending (issue 18): conversations, bulk actions on a
 * selection (ids, or a whole mailbox chosen on the server) with undo, folder management, identities
 * with signatures, and address suggestions.
 */
export const webmailTypeDefs = /* GraphQL */ `
  "A conversation of one mailbox."
  type Thread {
    "Opaque; names the thread's root message (as its replies name it), so it stays when the oldest message goes: pass to thread(...)."
    id: ID!
    mailboxId: ID!
    "The subject of its oldest message."
    subject: String!
    "Its messages in this mailbox, oldest first."
    messages: [MessageSummary!]!
    messageCount: Int!
    unseenCount: Int!
    "Its newest message (what the list shows)."
    latest: MessageSummary!
    "Senders, each once, in the order they first wrote."
    participants: [Address!]!
    flagged: Boolean!
    hasAttachments: Boolean!
    "The date of its newest message."
    date: DateTime!
  }

  type ThreadEdge {
    cursor: String!
    node: Thread!
  }

  type ThreadConnection {
    edges: [ThreadEdge!]!
    pageInfo: PageInfo!
    "Threads matching, in all pages."
    totalCount: Int!
  }

  """
  Which messages a bulk action covers: the ids given, or every message of a mailbox (those matching
  search, when given), chosen on the server, including messages the browser has not loaded.
  Exactly one of ids and mailboxId.
  """
  input MessageSelection {
    ids: [ID!]
    mailboxId: ID
    search: MessageSearch
    "With mailboxId: messages left out (unticked after select all)."
    exceptIds: [ID!]
  }

  enum BulkAction {
    "To targetMailboxId."
    MOVE
    "To Trash; messages in Trash already are deleted for good (no undo for those)."
    DELETE
    MARK_READ
    MARK_UNREAD
    FLAG
    UNFLAG
    "To Junk (SPAM events, as moveMessages)."
    REPORT_SPAM
    "To Archive."
    ARCHIVE
  }

  type BulkResult {
    "Messages acted on."
    count: Int!
    """
    For MOVE, DELETE (to Trash), REPORT_SPAM and ARCHIVE: pass to undoBulk to put them back. Null
    when messages moved between two users' folders (stored again for the other owner under new ids:
    such a move cannot be undone).
    """
    undoToken: String
    "How long undoToken is good for."
    undoSeconds: Int
  }

  "A name and address the user sends as, with its signature."
  type Identity {
    id: ID!
    name: String
    "One of the user's own addresses."
    address: String!
    "Sanitised HTML, added below new messages and replies written as this identity."
    signatureHtml: String
    "Used when composing unless another is chosen; exactly one identity is the default."
    isDefault: Boolean!
  }

  input IdentityInput {
    name: String
    address: String!
    signatureHtml: String
    isDefault: Boolean
  }

  "A picture pasted into the HTML: an upload sent as a related part, referred to as cid:<contentId>."
  input InlineImageInput {
    "An upload id from POST /uploads; its content type must be image/*."
    uploadId: ID!
    "Without the cid: prefix and without angle brackets."
    contentId: String!
  }

  extend input ComposeInput {
    """
    Pictures the HTML refers to by cid:. The HTML is sanitised by the rules received HTML is shown
    with before it is sent, and a plain text alternative is made from it when text is not given.
    """
    inlineImages: [InlineImageInput!]
    "The identity to send as (its name and address in From); the default identity when absent."
    identityId: ID
  }

  extend type Query {
    "Conversations of a mailbox, newest activity first. first: 1 to 100 (default 50); after: a cursor from pageInfo.endCursor."
    threads(mailboxId: ID!, first: Int = 50, after: String, search: MessageSearch): ThreadConnection!
    "One conversation, by its id from threads; null when none of its messages is left."
    thread(mailboxId: ID!, id: ID!): Thread
    "The user's identities; there is always at least one (the account's address)."
    identities: [Identity!]!
    "Addresses the user has written to, most used first, whose name or address starts a word with prefix (case-insensitive)."
    addressSuggestions(prefix: String!, first: Int = 8): [Address!]!
  }

  extend type Mutation {
    "One action on a selection of the user's messages; targetMailboxId only for MOVE."
    bulkMessages(selection: MessageSelection!, action: BulkAction!, targetMailboxId: ID): BulkResult!
    "Puts the messages of a MOVE, DELETE, REPORT_SPAM or ARCHIVE back into the mailboxes they came from; answers how many."
    undoBulk(token: String!): Int!
    "Deletes every message of a mailbox for good (Trash and Junk only); answers how many."
    emptyMailbox(id: ID!): Int!
    """
    Deletes a mailbox and the mailboxes below it; their messages go to Trash (deleted for good only
    for a mailbox inside Trash). INBOX and special-use mailboxes cannot be deleted.
    """
    deleteMailboxToTrash(id: ID!): Boolean!
    saveIdentity(id: ID, input: IdentityInput!): Identity!
    "The last identity cannot be deleted; deleting the default makes the oldest left the default."
    deleteIdentity(id: ID!): Boolean!
  }
`;
