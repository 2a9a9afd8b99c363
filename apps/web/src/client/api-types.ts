// The shapes of what the web console asks the API for, written from the GraphQL SDL in
// apps/api/src/graphql/schema (the contract). Only the fields we query are here.

export type SpecialUse = 'Inbox' | 'Drafts' | 'Sent' | 'Junk' | 'Trash' | 'Archive';
export type Role = 'user' | 'admin';
export type ChangeType =
  | 'EXISTS'
  | 'EXPUNGE'
  | 'FLAGS'
  | 'MAILBOX_CREATED'
  | 'MAILBOX_DELETED'
  | 'MAILBOX_RENAMED'
  | 'SPAM'
  | 'NOT_SPAM';

export interface Mailbox {
  id: string;
  path: string;
  name: string;
  specialUse: SpecialUse | null;
  total: number;
  unseen: number;
}

export interface Address {
  name: string | null;
  address: string;
}

export interface MessageSummary {
  id: string;
  mailboxId: string;
  uid: number;
  from: Address[];
  to: Address[];
  subject: string;
  snippet: string;
  date: string;
  flags: string[];
  seen: boolean;
  flagged: boolean;
  answered: boolean;
  draft: boolean;
  hasAttachments: boolean;
}

export interface Attachment {
  id: string;
  filename: string | null;
  contentType: string;
  size: number;
  disposition: string | null;
  contentId: string | null;
  downloadUrl: string;
}

export interface Message {
  id: string;
  mailboxId: string;
  uid: number;
  from: Address[];
  to: Address[];
  cc: Address[];
  replyTo: Address[];
  subject: string;
  date: string;
  flags: string[];
  messageId: string | null;
  text: string | null;
  html: string | null;
  hasRemoteContent: boolean;
  attachments: Attachment[];
  rawUrl: string;
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface MessageConnection {
  edges: { cursor: string; node: MessageSummary }[];
  pageInfo: PageInfo;
  totalCount: number;
}

export interface MessageSearch {
  text?: string;
}

export interface AddressInput {
  name?: string | null;
  address: string;
}

export interface ComposeInput {
  to?: AddressInput[];
  cc?: AddressInput[];
  bcc?: AddressInput[];
  subject?: string;
  text?: string;
  inReplyTo?: string | null;
  attachments?: string[];
}

export interface MailboxChange {
  cursor: string;
  type: ChangeType;
  mailboxId: string;
  uid: number | null;
  modseq: number | null;
  flags: string[] | null;
  messageId: string | null;
  path: string | null;
}

export interface User {
  id: string;
  address: string;
  name: string | null;
  role: Role;
  quota: number | null;
  storageUsed: number;
  disabled: boolean;
  created: string;
  messageCount: number;
}

export interface UserConnection {
  edges: { cursor: string; node: User }[];
  pageInfo: PageInfo;
  totalCount: number;
}

export type UserOrderField = 'address' | 'storageUsed' | 'created';

export interface ServerStats {
  users: number;
  messages: number;
  storage: number;
  deliveries: { minute: string; count: number }[];
}

/** An uploaded attachment, as POST /uploads answers. */
export interface Upload {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}
