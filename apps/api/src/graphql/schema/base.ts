/** Scalars, errors and the root types every other module extends. */
export const baseTypeDefs = /* GraphQL */ `
  """
  The Wild Duck Mail Platform API: webmail, administration and third-party apps.

  Authentication: \`signIn\` answers a session token; send it as \`Authorization: Bearer <token>\`
  on HTTP, or as the graphql-ws connection parameter \`{"authorization": "Bearer <token>"}\`.
  Personal access tokens (\`createAccessToken\`) work the same way, limited to their scopes.
  The server's API_TOKEN acts as an administrator (server-to-server calls).

  Errors carry \`extensions.code\`: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT (with
  \`extensions.field\`), NOT_FOUND, OVER_QUOTA, RATE_LIMITED, SERVICE_UNAVAILABLE (nothing was
  done; try again later, e.g. the smarthost is unreachable), and INTERNAL_SERVER_ERROR (logged,
  never with a stack trace).
  """
  schema {
    query: Query
    mutation: Mutation
    subscription: Subscription
  }

  "An ISO 8601 date and time in UTC, e.g. 2026-11-29T10:04:30.000Z."
  scalar DateTime

  type Query {
    "The signed-in user."
    me: User!
  }

  type Mutation {
    """
    Checks a password and answers a session token (rate-limited per account and per client address).
    With two-factor sign-in on, the account password needs \`code\` too: a code from the authenticator
    or a recovery code. A right password without it (or with a wrong one) answers UNAUTHENTICATED with
    \`extensions.twoFactorRequired: true\`. An app password with the api scope needs no code.
    """
    signIn(username: String!, password: String!, code: String): Session!
  }

  type Subscription {
    """
    Changes of the signed-in user's mailboxes; see MailboxChange. Without mailboxId, also the message
    changes (EXISTS, EXPUNGE, FLAGS) of the mailboxes other users share with the viewer (right r),
    with the viewer's own \\Seen, from when they are shared until they are no longer.
    """
    mailboxChanges(
      "Resume after this cursor (from an earlier MailboxChange): every change since is replayed from the journal first."
      since: String
      """
      Only changes of this mailbox (account-wide events of other mailboxes are left out too). It may
      be a mailbox another user shares with the viewer (right r): its owner's changes come, with the
      viewer's own \\\\Seen in FLAGS and EXISTS.
      """
      mailboxId: ID
    ): MailboxChange!
  }
`;
