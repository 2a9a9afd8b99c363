/**
 * Account settings (issue 17): password, app passwords, two-factor sign-in, and how mail sorts
 * itself at delivery (form-built filter rules, raw Sieve scripts, vacation reply, forwarding).
 * The web console's Settings screen uses exactly these; so may any API client.
 */
export const settingsTypeDefs = /* GraphQL */ `
  "What an app password may be used for."
  enum AppPasswordScope {
    "IMAP LOGIN and AUTHENTICATE"
    imap
    "SMTP submission AUTH"
    smtp
    "ManageSieve AUTHENTICATE"
    managesieve
    "GraphQL signIn without a second factor (a session for an app that cannot ask for a code)"
    api
  }

  "A named password for one client; its secret is shown once, when it is made."
  type AppPassword {
    id: ID!
    name: String!
    scopes: [AppPasswordScope!]!
    created: DateTime!
    "When it last signed a client in, and from which client address."
    lastUsed: DateTime
    lastAddress: String
  }

  type NewAppPassword {
    "The secret (shown once), to paste into the client as its password."
    password: String!
    appPassword: AppPassword!
  }

  type TwoFactorStatus {
    enabled: Boolean!
    "Recovery codes not used yet."
    recoveryCodesLeft: Int!
  }

  "A set-up in progress: scan the QR code (or type the secret), then confirmTwoFactor with a code."
  type TwoFactorSetup {
    "Base32, for typing into an authenticator by hand."
    secret: String!
    "otpauth://totp/… (RFC 6238 parameters: SHA1, 6 digits, 30 s)."
    otpauthUrl: String!
    "The otpauth URL as a QR code, an SVG document."
    qrCodeSvg: String!
  }

  type RecoveryCodes {
    "Ten one-time codes, shown once; each signs in once in place of a code from the authenticator."
    codes: [String!]!
  }

  "A vacation (out-of-office) reply: at most one per sender per days, never to lists or automatic mail."
  type VacationSettings {
    enabled: Boolean!
    subject: String!
    text: String!
    "Replies start at this time (null: now) and stop after end (null: until disabled)."
    start: DateTime
    end: DateTime
    "Days before the same sender is answered again (RFC 5230 :days, 1 to 30)."
    days: Int!
  }

  "A field left out keeps its current value; null puts it back to its default (start and end: open)."
  input VacationInput {
    enabled: Boolean!
    "One line, at most 200 characters; empty: 'Auto:' and the original subject."
    subject: String
    "At most 20,000 characters; needed when enabled."
    text: String
    start: DateTime
    "After start."
    end: DateTime
    "1 to 30 (default 7)."
    days: Int
  }

  "Forwarding of every incoming message, through the smarthost, with the user's address as envelope sender."
  type ForwardingSettings {
    enabled: Boolean!
    addresses: [String!]!
    "Keep a copy in this mailbox too."
    keepCopy: Boolean!
  }

  input ForwardingInput {
    enabled: Boolean!
    "At most 5, never the user's own; at least one when enabled."
    addresses: [String!]!
    keepCopy: Boolean!
  }

  enum FilterField {
    from
    to
    cc
    subject
  }

  enum FilterMatch {
    contains
    is
  }

  enum FilterActionType {
    "file into mailbox (created when missing)"
    move
    "add \\\\Seen"
    markRead
    "add \\\\Flagged"
    flag
    "redirect a copy to address"
    forward
    discard
  }

  type FilterAction {
    type: FilterActionType!
    "For move: the mailbox path."
    mailbox: String
    "For forward: the address."
    address: String
  }

  input FilterActionInput {
    type: FilterActionType!
    mailbox: String
    address: String
  }

  "A rule built with the form; the rules together are written as Sieve, run before the active script."
  type FilterRule {
    id: ID!
    name: String!
    enabled: Boolean!
    field: FilterField!
    match: FilterMatch!
    value: String!
    actions: [FilterAction!]!
    "Stop here when this rule matched (no later rule or script runs)."
    stop: Boolean!
  }

  input FilterRuleInput {
    "Kept when given, made when not."
    id: ID
    name: String!
    enabled: Boolean!
    field: FilterField!
    match: FilterMatch!
    value: String!
    actions: [FilterActionInput!]!
    stop: Boolean
  }

  "A Sieve script as ManageSieve sees it; at most one is active."
  type SieveScript {
    name: String!
    active: Boolean!
    "Bytes (UTF-8)."
    size: Int!
    updated: DateTime!
    content: String!
  }

  "A mistake in a Sieve script, where it is."
  type SieveProblem {
    line: Int!
    column: Int!
    message: String!
  }

  type SieveCheck {
    ok: Boolean!
    problems: [SieveProblem!]!
  }

  "The last time a filter failed while running at delivery (the message went to INBOX)."
  type FilterError {
    at: DateTime!
    "The script that failed: the name of a Sieve script, or 'rules', 'vacation', 'forwarding'."
    script: String!
    message: String!
  }

  type MailSettings {
    vacation: VacationSettings!
    forwarding: ForwardingSettings!
    filterRules: [FilterRule!]!
    "The Sieve the rules, vacation and forwarding are run as (read-only, for the curious)."
    generatedSieve: String!
    lastFilterError: FilterError
  }

  extend type User {
    twoFactorEnabled: Boolean!
  }

  extend type Query {
    "The signed-in user's app passwords (never their secrets)."
    appPasswords: [AppPassword!]!
    twoFactor: TwoFactorStatus!
    mailSettings: MailSettings!
    sieveScripts: [SieveScript!]!
    sieveScript(name: String!): SieveScript
    "Checks a script without storing it."
    checkSieve(content: String!): SieveCheck!
  }

  extend type Mutation {
    "Needs the current password; other sessions stay signed in."
    changePassword(currentPassword: String!, newPassword: String!): Boolean!
    "scopes default to imap and smtp."
    createAppPassword(name: String!, scopes: [AppPasswordScope!]): NewAppPassword!
    revokeAppPassword(id: ID!): Boolean!
    "Starts (or restarts) a set-up; two-factor is on only after confirmTwoFactor."
    beginTwoFactorSetup: TwoFactorSetup!
    "Turns two-factor sign-in on with a code from the authenticator; answers the recovery codes."
    confirmTwoFactor(code: String!): RecoveryCodes!
    "Needs a current code (or a recovery code)."
    disableTwoFactor(code: String!): Boolean!
    "Needs a current code; the old recovery codes stop working."
    regenerateRecoveryCodes(code: String!): RecoveryCodes!
    "Admin: turns a user's two-factor sign-in off (logged)."
    resetTwoFactor(userId: ID!): Boolean!

    setVacation(input: VacationInput!): VacationSettings!
    setForwarding(input: ForwardingInput!): ForwardingSettings!
    "Replaces every rule, in this order."
    setFilterRules(rules: [FilterRuleInput!]!): [FilterRule!]!
    "Stores a script after a syntax check (BAD_USER_INPUT with extensions.problems when it fails)."
    putSieveScript(name: String!, content: String!, activate: Boolean): SieveScript!
    "Makes this script the active one; null: none is active."
    activateSieveScript(name: String): Boolean!
    deleteSieveScript(name: String!): Boolean!
    renameSieveScript(name: String!, newName: String!): SieveScript!
  }
`;
