/** Mailboxes and messages of the signed-in user. */
export const mailTypeDefs = /* GraphQL */ `
  enum SpecialUse {
    Inbox
    Drafts
    Sent
    Junk
    Trash
    Archive
  }

  type Mailbox {
    id: ID!
    "Full path with / as the delimiter, e.g. Work/Projects."
    path: String!
    "Last segment of the path."
    name: String!
    specialUse: SpecialUse
    subscribed: Boolean!
    total: Int!
    unseen: Int!
    "Bytes of all its messages."
    size: Float!
    uidValidity: Float!
  }

  type Address {
    name: String
    address: String!
  }

  "A message in a list."
  type MessageSummary {
    id: ID!
    mailboxId: ID!
    uid: Int!
    from: [Address!]!
    to: [Address!]!
    cc: [Address!]!
    subject: String!
    "The first 200 characters of the text."
    snippet: String!
    "The Date header, else the arrival time."
    date: DateTime!
    "When it was stored."
    internalDate: DateTime!
    flags: [String!]!
    seen: Boolean!
    flagged: Boolean!
    answered: Boolean!
    draft: Boolean!
    hasAttachments: Boolean!
    size: Float!
    messageId: String
  }

  type Attachment {
    "Part number (IMAP section), e.g. 2 or 1.2."
    id: String!
    filename: String
    contentType: String!
    size: Float!
    "inline parts are referenced from the HTML by cid:"
    disposition: String
    contentId: String
    "GET with the same Authorization header; streamed from the store."
    downloadUrl: String!
  }

  "A whole message for reading."
  type Message {
    id: ID!
    mailboxId: ID!
    uid: Int!
    from: [Address!]!
    to: [Address!]!
    cc: [Address!]!
    bcc: [Address!]!
    replyTo: [Address!]!
    subject: String!
    date: DateTime!
    internalDate: DateTime!
    flags: [String!]!
    size: Float!
    messageId: String
    inReplyTo: String
    references: [String!]!
    "Every header field, decoded, in order."
    headers: [Header!]!
    "The plain text body (from the HTML when there is no text part)."
    text: String
    """
    The HTML body, sanitised on the server: no scripts, event handlers, forms, iframes or
    javascript: URLs; remote images and styles replaced unless remoteContent is true.
    """
    html(remoteContent: Boolean = false): String
    "True when the HTML referred to remote content that was blocked."
    hasRemoteContent: Boolean!
    attachments: [Attachment!]!
    "GET with the same Authorization header: the message as stored (message/rfc822)."
    rawUrl: String!
    "Messages of the same conversation (by References / In-Reply-To), oldest first."
    thread: [MessageSummary!]!
  }

  type Header {
    key: String!
    value: String!
  }

  type MessageEdge {
    cursor: String!
    node: MessageSummary!
  }

  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }

  type MessageConnection {
    edges: [MessageEdge!]!
    pageInfo: PageInfo!
    "Messages matching, in all pages."
    totalCount: Int!
  }

  "Every given field must match (AND). Text matches are case-insensitive substrings, as in IMAP SEARCH."
  input MessageSearch {
    "Anywhere in the headers or the body."
    text: String
    from: String
    to: String
    subject: String
    unseen: Boolean
    flagged: Boolean
    hasAttachment: Boolean
    "Arrived on or after this day."
    since: DateTime
    "Arrived before this day."
    before: DateTime
  }

  input AddressInput {
    name: String
    address: String!
  }

  input ComposeInput {
    to: [AddressInput!]
    cc: [AddressInput!]
    bcc: [AddressInput!]
    subject: String
    text: String
    html: String
    "Message id (ours) this answers: In-Reply-To and References are set, the original gets \\\\Answered when sent."
    inReplyTo: ID
    "Upload ids from POST /uploads (Authorization as for GraphQL)."
    attachments: [ID!]
  }

  type SendResult {
    "The Message-ID header of the sent message."
    messageId: String!
    "The copy in the Sent mailbox."
    sent: MessageSummary!
    "Recipients refused by the smarthost (the others got it)."
    rejected: [String!]!
  }

  type DeleteResult {
    "Moved to Trash."
    movedToTrash: [ID!]!
    "Deleted for good (they were in Trash already)."
    expunged: [ID!]!
  }

  extend type Query {
    mailboxes: [Mailbox!]!
    mailbox(id: ID!): Mailbox
    "Newest first. first: 1 to 200 (default 50); after: a cursor from pageInfo.endCursor."
    messages(mailboxId: ID!, first: Int = 50, after: String, search: MessageSearch): MessageConnection!
    message(id: ID!): Message
  }

  extend type Mutation {
    "Adds flags (\\\\Seen, \\\\Flagged, \\\\Answered, \\\\Draft, \\\\Deleted or keywords)."
    setFlags(ids: [ID!]!, flags: [String!]!): [MessageSummary!]!
    clearFlags(ids: [ID!]!, flags: [String!]!): [MessageSummary!]!
    "Into Junk emits SPAM; out of Junk (but not to Trash) NOT_SPAM. Answers the moved messages."
    moveMessages(ids: [ID!]!, mailboxId: ID!): [MessageSummary!]!
    "To Trash; messages already in Trash are deleted for good."
    deleteMessages(ids: [ID!]!): DeleteResult!
    createMailbox(path: String!): Mailbox!
    renameMailbox(id: ID!, path: String!): Mailbox!
    "Deletes the mailbox and its messages; INBOX and special-use mailboxes cannot be deleted."
    deleteMailbox(id: ID!): Boolean!
    "Composes and sends as the signed-in user: local recipients directly, others through the smarthost; a \\\\Seen copy is kept in Sent."
    send(input: ComposeInput!): SendResult!
    "Stores a draft in Drafts (\\\\Draft, \\\\Seen); replaceId removes the previous version."
    saveDraft(input: ComposeInput!, replaceId: ID): MessageSummary!
  }
`;
