/** Shared mailboxes (RFC 4314 access lists): who may use a mailbox, and mailboxes others share. */
export const sharingTypeDefs = /* GraphQL */ `
  "Sets of rights offered by the Share dialog."
  enum AccessPreset {
    "No access: takes a share back (rights '')."
    NONE
    "See the folder, read its messages, keep one's own read marks (rights 'lrs')."
    READ
    "Also change flags, add, move in and delete messages (rights 'lrswipte')."
    READ_WRITE
    "Every right, sharing the folder on included (rights 'lrswipkxtea')."
    FULL
  }

  "One entry of a mailbox's access list."
  type MailboxShare {
    "The person's address, or the group anyone / authenticated."
    identifier: String!
    "The person's user id; null for a group."
    user: ID
    "RFC 4314 rights, letters of lrswipkxtea in that order."
    rights: String!
    "The preset these rights are exactly; null when they match none."
    preset: AccessPreset
    "True for the owner, who always has every right (listed first)."
    owner: Boolean!
  }

  "How the viewer has another user's mailbox."
  type SharedMailbox {
    "Whose mailbox it is."
    ownerAddress: String!
    "The viewer's RFC 4314 rights on it."
    rights: String!
    "Other Users (shared with the viewer by name) or Shared Folders (shared with everyone)."
    namespace: String!
    "The owner's own path of it."
    path: String!
  }

  "A user's mailbox with its access list (administrators)."
  type AdminSharedMailbox {
    mailbox: Mailbox!
    "Owner first, then every person or group it is shared with."
    access: [MailboxShare!]!
  }

  extend type Mailbox {
    "How the viewer has it when another user shares it with them; null for the viewer's own."
    shared: SharedMailbox
    "The viewer's RFC 4314 rights: every one (lrswipkxtea) for their own mailbox."
    myRights: String!
    "Who it is shared with, the owner first; null unless the viewer may administer it (right a)."
    access: [MailboxShare!]
  }

  extend type Query {
    """
    Every mailbox other users share with the viewer that they may see (right l), by owner and
    path; unread counts are the viewer's own (each reader keeps their own \\\\Seen).
    """
    sharedMailboxes: [Mailbox!]!
    "Admin: every mailbox of the user with its access list."
    adminMailboxAccess(userId: ID!): [AdminSharedMailbox!]!
  }

  extend type Mutation {
    """
    Shares a mailbox with a person (by address) or a group (anyone, authenticated): exactly one of
    access (a preset; NONE takes the share back) and rights (RFC 4314 letters, '' takes it back).
    Needs the administer right (a): the owner has it. Answers the access list now.
    """
    shareMailbox(mailboxId: ID!, with: String!, access: AccessPreset, rights: String): [MailboxShare!]!
    "Admin: sets a person's or group's rights on any user's mailbox, as its owner would ('' removes them)."
    adminSetMailboxAccess(mailboxId: ID!, with: String!, rights: String!): [MailboxShare!]!
  }
`;
