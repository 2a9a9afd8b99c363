// The shapes of what the web console asks the API for: each one the fields we select of the
// type generated from the SDL (src/api/schema-types.ts), so a change of the contract shows up
// here as a type error.
import type * as Api from '@/api/schema-types';

export type {
  AccessPreset,
  ChangeType,
  ComposeInput,
  MessageSearch,
  Role,
  SpecialUse,
  UserOrderField,
} from '@/api/schema-types';

export type Address = Pick<Api.Address, 'name' | 'address'>;
export type AddressInput = Api.AddressInput;

export type Mailbox = Pick<Api.Mailbox, 'id' | 'path' | 'name' | 'specialUse' | 'total' | 'unseen'> & {
  /** The viewer's RFC 4314 rights (every one for their own folders); absent where not asked for. */
  myRights?: string;
  /** Set on a folder another user shares with the viewer. */
  shared?: SharedFolderInfo | null;
};

/** How the viewer has another user's folder. */
export type SharedFolderInfo = Pick<Api.SharedMailbox, 'ownerAddress' | 'rights' | 'namespace' | 'path'>;

/** One entry of a folder's access list. */
export type MailboxShare = Pick<Api.MailboxShare, 'identifier' | 'user' | 'rights' | 'preset' | 'owner'>;

/** A user's folder with its access list (admin console). */
export interface AdminSharedMailbox {
  mailbox: Pick<Api.Mailbox, 'id' | 'path' | 'name'>;
  access: MailboxShare[];
}

export type MessageSummary = Pick<
  Api.MessageSummary,
  | 'id'
  | 'mailboxId'
  | 'uid'
  | 'subject'
  | 'snippet'
  | 'date'
  | 'flags'
  | 'seen'
  | 'flagged'
  | 'answered'
  | 'draft'
  | 'hasAttachments'
> & { from: Address[]; to: Address[] };

export type Attachment = Pick<
  Api.Attachment,
  'id' | 'filename' | 'contentType' | 'size' | 'disposition' | 'contentId' | 'downloadUrl'
>;

export type Message = Pick<
  Api.Message,
  | 'id'
  | 'mailboxId'
  | 'uid'
  | 'subject'
  | 'date'
  | 'flags'
  | 'messageId'
  | 'text'
  | 'html'
  | 'hasRemoteContent'
  | 'rawUrl'
> & { from: Address[]; to: Address[]; cc: Address[]; replyTo: Address[]; attachments: Attachment[] };

export type PageInfo = Api.PageInfo;

export interface MessageConnection {
  edges: { cursor: string; node: MessageSummary }[];
  pageInfo: PageInfo;
  totalCount: number;
}

export type MailboxChange = Pick<
  Api.MailboxChange,
  'cursor' | 'type' | 'mailboxId' | 'uid' | 'modseq' | 'flags' | 'messageId' | 'path'
>;

export type User = Pick<
  Api.User,
  | 'id'
  | 'address'
  | 'name'
  | 'role'
  | 'quota'
  | 'storageUsed'
  | 'disabled'
  | 'created'
  | 'messageCount'
  | 'twoFactorEnabled'
>;

export interface UserConnection {
  edges: { cursor: string; node: User }[];
  pageInfo: PageInfo;
  totalCount: number;
}

export type ServerStats = Pick<Api.ServerStats, 'users' | 'messages' | 'storage'> & {
  deliveries: Pick<Api.DeliveriesPerMinute, 'minute' | 'count'>[];
};

/** An uploaded attachment, as POST /uploads answers (REST, so not in the GraphQL schema). */
export interface Upload {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

/** One webhook delivery as the admin console lists it. */
export type WebhookDelivery = Pick<
  Api.WebhookDelivery,
  'id' | 'type' | 'url' | 'state' | 'attempts' | 'lastError' | 'lastAttemptAt' | 'nextAttemptAt' | 'failedAt'
>;

/** The webhook outbox at a glance (admin console). */
export type WebhookOutbox = Pick<Api.WebhookOutbox, 'pending' | 'failed' | 'oldestPendingAt'> & {
  recent: WebhookDelivery[];
};
