import type { IResolvers } from '@graphql-tools/utils';
import type { ObjectId } from 'mongodb';
import type { ParsedAddress } from '@wildduck/mime';
import {
  ALL_RIGHTS,
  findMailboxById,
  findThreadMessages,
  findUserMessage,
  hasRights,
  listMailboxes,
  mailboxCounters,
  parseObjectId,
  toNumber,
  type MailboxCounters,
  type MailboxDocument,
  type MessageView,
} from '@wildduck/store';
import type { AccessibleMailbox } from '@wildduck/mail-service';
import type { GraphQLContext } from '../context.js';
import { badInput, notFound } from '../errors.js';
import { requireUser } from '../viewer.js';
import { decodeMessageCursor, encodeMessageCursor } from '../../mail/cursor.js';
import { messageListIndexes } from '../../mail/list-index.js';
import { renderMessage, type AttachmentPart, type RenderedMessage } from '../../mail/render.js';
import { sanitizeMessageHtml, type SanitizedHtml } from '../../mail/sanitize.js';
import { toMessageQuery, type MessageSearchInput } from '../../mail/search.js';
import { attachmentUrl, rawMessageUrl } from '../../mail/urls.js';
import {
  currentMailbox,
  mailboxAccessOf,
  reachableById,
  reachableMailbox,
  reachableMessages,
} from '../../mail/mailbox-access.js';
import { asReader, asReaderQuery, readerUnseen, viewerSeen } from '../../mail/reader-seen.js';
import { mailboxShares } from '../../mail/sharing.js';

/*
 * Parents of the types (for every resolver that answers them, mutations included):
 *   Mailbox        a MailboxDocument as stored (listMailboxes, findMailboxById): the viewer's own,
 *                  or another user's shared with them (its `user` is then the owner)
 *   MessageSummary a MessageView (findUserMessage, listMessagePage, or a read with
 *                  MESSAGE_SUMMARY_PROJECTION from @wildduck/store); in a shared mailbox its
 *                  flags are already the viewer's (their own \Seen: mail/reader-seen.ts)
 *   Message        a MessageView; its content (MIME tree) is read when the parent lacks it
 *   Attachment     an AttachmentPart with its downloadUrl
 */

/** SPECIAL-USE flags as stored, as the schema's SpecialUse values. */
const SPECIAL_USE: Record<string, string> = {
  '\\Drafts': 'Drafts',
  '\\Sent': 'Sent',
  '\\Junk': 'Junk',
  '\\Trash': 'Trash',
  '\\Archive': 'Archive',
};

/** Largest page of the message list. */
const MAX_PAGE = 200;

/** The id argument as an ObjectId, or BAD_USER_INPUT naming the argument. */
function idArgument(value: string, field: string): ObjectId {
  const id = parseObjectId(value);
  if (!id) throw badInput(`${field} must be a 24-character hexadecimal id`, field);
  return id;
}

// Per-operation caches: the parent objects live only as long as one operation's result.
const counters = new WeakMap<MailboxDocument, Promise<MailboxCounters>>();
const rendered = new WeakMap<MessageView, Promise<{ message: MessageView; view: RenderedMessage }>>();
const sanitized = new WeakMap<MessageView, Map<boolean, SanitizedHtml | null>>();
const accessOfMailbox = new WeakMap<MailboxDocument, Promise<AccessibleMailbox | null>>();

/**
 * How the viewer reaches a Mailbox parent; null for the viewer's own (and for an administrator,
 * who sees it as its owner does).
 */
function sharedAccess(context: GraphQLContext, mailbox: MailboxDocument): Promise<AccessibleMailbox | null> {
  const viewer = context.viewer;
  if (!viewer || viewer.kind !== 'user' || mailbox.user.equals(viewer.userId)) return Promise.resolve(null);
  let pending = accessOfMailbox.get(mailbox);
  if (!pending) {
    pending = reachableById(context, viewer, mailbox._id!);
    accessOfMailbox.set(mailbox, pending);
  }
  return pending;
}

/** The mailbox's counters; in a shared mailbox, unseen counts the viewer's own \Seen. */
function countersOf(context: GraphQLContext, mailbox: MailboxDocument): Promise<MailboxCounters> {
  let pending = counters.get(mailbox);
  if (!pending) {
    pending = (async () => {
      const stored = await mailboxCounters(context.db, mailbox, context.store.locks);
      const shared = await sharedAccess(context, mailbox);
      if (!shared || context.viewer?.kind !== 'user') return stored;
      if (!hasRights(shared.rights, 'r')) return { ...stored, unseen: 0 };
      const seen = await viewerSeen(context, context.viewer.userId, shared);
      return { ...stored, unseen: await readerUnseen(context, { ...shared, mailbox }, seen!) };
    })();
    counters.set(mailbox, pending);
  }
  return pending;
}

/** The message's headers, bodies and attachments, read once per operation. */
function renderedOf(
  context: GraphQLContext,
  parent: MessageView,
): Promise<{ message: MessageView; view: RenderedMessage }> {
  let pending = rendered.get(parent);
  if (!pending) {
    pending = (async () => {
      const message = parent.mime
        ? parent
        : await findUserMessage(context.db, parent.user, parent._id, { content: true });
      if (!message) throw notFound('This message no longer exists');
      return { message, view: await renderMessage(context.db, message) };
    })();
    rendered.set(parent, pending);
  }
  return pending;
}

function attachmentsOf(context: GraphQLContext, message: MessageView, view: RenderedMessage) {
  return view.attachments.map((part) => ({
    ...part,
    downloadUrl: attachmentUrl(context.publicUrl, message._id.toHexString(), part.id),
  }));
}

async function sanitizedOf(
  context: GraphQLContext,
  parent: MessageView,
  remoteContent: boolean,
): Promise<SanitizedHtml | null> {
  const { message, view } = await renderedOf(context, parent);
  let byMode = sanitized.get(parent);
  if (!byMode) {
    byMode = new Map();
    sanitized.set(parent, byMode);
  }
  if (!byMode.has(remoteContent)) {
    const attachments = attachmentsOf(context, message, view);
    byMode.set(
      remoteContent,
      view.html === null
        ? null
        : sanitizeMessageHtml(view.html, {
            remoteContent,
            cidUrl: (contentId) =>
              (
                attachments.find((part) => part.contentId === contentId) ??
                attachments.find((part) => part.contentId?.toLowerCase() === contentId.toLowerCase())
              )?.downloadUrl,
          }),
    );
  }
  return byMode.get(remoteContent) ?? null;
}

const addresses = (list: ParsedAddress[] | undefined) =>
  (list ?? []).map((entry) => ({ name: entry.name || null, address: entry.address }));

/** Fields MessageSummary and Message share, from a MessageView. */
const messageFields = {
  id: (message: MessageView) => message._id.toHexString(),
  mailboxId: (message: MessageView) => message.mailbox.toHexString(),
  uid: (message: MessageView) => toNumber(message.uid),
  from: (message: MessageView) => addresses(message.hdr?.from),
  to: (message: MessageView) => addresses(message.hdr?.to),
  cc: (message: MessageView) => addresses(message.hdr?.cc),
  subject: (message: MessageView) => message.hdr?.subject ?? '',
  date: (message: MessageView) => message.hdr?.date ?? message.internalDate,
  internalDate: (message: MessageView) => message.internalDate,
  flags: (message: MessageView) => message.flags ?? [],
  size: (message: MessageView) => toNumber(message.size),
  messageId: (message: MessageView) => message.hdr?.messageId || null,
};

const hasFlag = (flag: string) => (message: MessageView) => (message.flags ?? []).includes(flag);

/** Resolvers of schema/mail.ts: the read side (queries and the Mailbox and message types). */
export const mailResolvers: IResolvers<unknown, GraphQLContext> = {
  Query: {
    mailboxes: async (_root, _args, context: GraphQLContext) => {
      const viewer = requireUser(context.viewer, 'read');
      return listMailboxes(context.db, viewer.userId);
    },
    mailbox: async (_root, args: { id: string }, context: GraphQLContext) => {
      const viewer = requireUser(context.viewer, 'read');
      idArgument(args.id, 'id');
      const target = await reachableMailbox(context, viewer, args.id, 'id');
      return currentMailbox(context, target, 'id');
    },
    sharedMailboxes: async (_root, _args, context: GraphQLContext) => {
      const viewer = requireUser(context.viewer, 'read');
      const shared = await mailboxAccessOf(context).sharedWith(viewer.userId);
      // as stored now: the access cache keeps the documents, whose counters move with every message
      const current = await Promise.all(
        shared
          .filter((each) => hasRights(each.rights, 'l'))
          .map((each) => findMailboxById(context.db, each.owner, each.mailbox._id!)),
      );
      return current.filter((mailbox): mailbox is MailboxDocument => mailbox !== null);
    },
    messages: async (
      _root,
      args: {
        mailboxId: string;
        first?: number | null;
        after?: string | null;
        search?: MessageSearchInput | null;
      },
      context: GraphQLContext,
    ) => {
      const viewer = requireUser(context.viewer, 'read');
      const mailboxId = idArgument(args.mailboxId, 'mailboxId');
      const first = args.first ?? 50;
      if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
        throw badInput(`first must be from 1 to ${MAX_PAGE}`, 'first');
      let beforeUid: number | undefined;
      if (args.after !== null && args.after !== undefined) {
        const uid = decodeMessageCursor(args.after);
        if (uid === null) throw badInput('after is not a cursor of this list', 'after');
        beforeUid = uid;
      }
      const asked = toMessageQuery(args.search);
      const target = await reachableMailbox(context, viewer, mailboxId.toHexString(), 'mailboxId', 'r');
      const mailbox = await currentMailbox(context, target, 'mailboxId');
      const seen = await viewerSeen(context, viewer.userId, target);
      const query = asReaderQuery(asked, seen);
      // from the process's in-memory list of the mailbox, kept current from the journal (list-index.ts)
      const page = await messageListIndexes(context.db, context.store.locks).page(mailbox, query, {
        first,
        ...(beforeUid === undefined ? {} : { beforeUid }),
      });
      const messages = asReader(page.messages, seen);
      const edges = messages.map((node) => ({ cursor: encodeMessageCursor(node.uid), node }));
      return {
        edges,
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
        totalCount: page.totalCount,
      };
    },
    message: async (_root, args: { id: string }, context: GraphQLContext) => {
      const viewer = requireUser(context.viewer, 'read');
      const [place] = await reachableMessages(context, viewer, [idArgument(args.id, 'id')]);
      const message =
        place && (await findUserMessage(context.db, place.target.owner, place.id, { content: true }));
      if (!message) throw notFound('No such message');
      return asReader([message], await viewerSeen(context, viewer.userId, place.target))[0]!;
    },
  },

  Mailbox: {
    id: (mailbox: MailboxDocument) => mailbox._id!.toHexString(),
    path: async (mailbox: MailboxDocument, _args, context: GraphQLContext) =>
      (await sharedAccess(context, mailbox))?.name ?? mailbox.path,
    name: (mailbox: MailboxDocument) => mailbox.path.split('/').at(-1) ?? mailbox.path,
    shared: async (mailbox: MailboxDocument, _args, context: GraphQLContext) => {
      const shared = await sharedAccess(context, mailbox);
      return shared
        ? {
            ownerAddress: shared.ownerAddress,
            rights: shared.rights,
            namespace: shared.shared,
            path: mailbox.path,
          }
        : null;
    },
    myRights: async (mailbox: MailboxDocument, _args, context: GraphQLContext) =>
      (await sharedAccess(context, mailbox))?.rights ?? ALL_RIGHTS,
    access: async (mailbox: MailboxDocument, _args, context: GraphQLContext) => {
      const viewer = context.viewer;
      if (!viewer || viewer.kind !== 'user') return null;
      const shared = await sharedAccess(context, mailbox);
      if (shared && !hasRights(shared.rights, 'a')) return null;
      const target = shared ?? (await reachableById(context, viewer, mailbox._id!));
      return target ? mailboxShares(context, target) : null;
    },
    specialUse: (mailbox: MailboxDocument) =>
      mailbox.path.toUpperCase() === 'INBOX' ? 'Inbox' : (SPECIAL_USE[mailbox.specialUse ?? ''] ?? null),
    subscribed: (mailbox: MailboxDocument) => mailbox.subscribed !== false,
    total: async (mailbox: MailboxDocument, _args, context: GraphQLContext) =>
      (await countersOf(context, mailbox)).messages,
    unseen: async (mailbox: MailboxDocument, _args, context: GraphQLContext) =>
      (await countersOf(context, mailbox)).unseen,
    size: async (mailbox: MailboxDocument, _args, context: GraphQLContext) =>
      (await countersOf(context, mailbox)).size,
    uidValidity: (mailbox: MailboxDocument) => toNumber(mailbox.uidValidity),
  },

  MessageSummary: {
    ...messageFields,
    snippet: (message: MessageView) => message.snippet ?? '',
    seen: hasFlag('\\Seen'),
    flagged: hasFlag('\\Flagged'),
    answered: hasFlag('\\Answered'),
    draft: hasFlag('\\Draft'),
    hasAttachments: (message: MessageView) => !!message.hasAttachments,
  },

  Message: {
    ...messageFields,
    bcc: (message: MessageView) => addresses(message.hdr?.bcc),
    replyTo: (message: MessageView) => addresses(message.hdr?.replyTo),
    inReplyTo: (message: MessageView) => message.hdr?.inReplyTo || null,
    references: (message: MessageView) => message.hdr?.references ?? [],
    headers: async (message: MessageView, _args, context: GraphQLContext) =>
      (await renderedOf(context, message)).view.headers,
    text: async (message: MessageView, _args, context: GraphQLContext) =>
      (await renderedOf(context, message)).view.text,
    html: async (message: MessageView, args: { remoteContent?: boolean | null }, context: GraphQLContext) =>
      (await sanitizedOf(context, message, args.remoteContent === true))?.html ?? null,
    hasRemoteContent: async (message: MessageView, _args, context: GraphQLContext) =>
      (await sanitizedOf(context, message, false))?.hasRemoteContent ?? false,
    attachments: async (message: MessageView, _args, context: GraphQLContext) => {
      const { message: stored, view } = await renderedOf(context, message);
      return attachmentsOf(context, stored, view);
    },
    rawUrl: (message: MessageView, _args, context: GraphQLContext) =>
      rawMessageUrl(context.publicUrl, message._id.toHexString()),
    thread: async (message: MessageView, _args, context: GraphQLContext) => {
      const thread = await findThreadMessages(context.db, message.user, message);
      const viewer = context.viewer;
      if (!viewer || viewer.kind !== 'user' || message.user.equals(viewer.userId)) return thread;
      // another user's message: only what the viewer may read of the thread, with their own \Seen
      const readable: MessageView[] = [];
      for (const each of thread) {
        const target = await reachableById(context, viewer, each.mailbox);
        if (target && hasRights(target.rights, 'r'))
          readable.push(...asReader([each], await viewerSeen(context, viewer.userId, target)));
      }
      return readable;
    },
  },

  Attachment: {
    downloadUrl: (part: AttachmentPart & { downloadUrl: string }) => part.downloadUrl,
  },
};
