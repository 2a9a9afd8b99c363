import type { IResolvers } from '@graphql-tools/utils';
import type { ObjectId } from 'mongodb';
import type { ParsedAddress } from '@wildduck/mime';
import {
  findMailboxById,
  findThreadMessages,
  findUserMessage,
  listMailboxes,
  mailboxCounters,
  parseObjectId,
  toNumber,
  type MailboxCounters,
  type MailboxDocument,
  type MessageView,
} from '@wildduck/store';
import type { GraphQLContext } from '../context.js';
import { badInput, notFound } from '../errors.js';
import { requireUser } from '../viewer.js';
import { decodeMessageCursor, encodeMessageCursor } from '../../mail/cursor.js';
import { messageListIndexes } from '../../mail/list-index.js';
import { renderMessage, type AttachmentPart, type RenderedMessage } from '../../mail/render.js';
import { sanitizeMessageHtml, type SanitizedHtml } from '../../mail/sanitize.js';
import { toMessageQuery, type MessageSearchInput } from '../../mail/search.js';
import { attachmentUrl, rawMessageUrl } from '../../mail/urls.js';

/*
 * Parents of the types (for every resolver that answers them, mutations included):
 *   Mailbox        a MailboxDocument as stored (listMailboxes, findMailboxById)
 *   MessageSummary a MessageView (findUserMessage, listMessagePage, or a read with
 *                  MESSAGE_SUMMARY_PROJECTION from @wildduck/store)
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

function countersOf(context: GraphQLContext, mailbox: MailboxDocument): Promise<MailboxCounters> {
  let pending = counters.get(mailbox);
  if (!pending) {
    pending = mailboxCounters(context.db, mailbox, context.store.locks);
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
      const mailbox = await findMailboxById(context.db, viewer.userId, idArgument(args.id, 'id'));
      if (!mailbox) throw notFound('No such mailbox');
      return mailbox;
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
      const query = toMessageQuery(args.search);
      const mailbox = await findMailboxById(context.db, viewer.userId, mailboxId);
      if (!mailbox) throw notFound('No such mailbox');
      // from the process's in-memory list of the mailbox, kept current from the journal (list-index.ts)
      const page = await messageListIndexes(context.db, context.store.locks).page(mailbox, query, {
        first,
        ...(beforeUid === undefined ? {} : { beforeUid }),
      });
      const edges = page.messages.map((node) => ({ cursor: encodeMessageCursor(node.uid), node }));
      return {
        edges,
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
        totalCount: page.totalCount,
      };
    },
    message: async (_root, args: { id: string }, context: GraphQLContext) => {
      const viewer = requireUser(context.viewer, 'read');
      const message = await findUserMessage(context.db, viewer.userId, idArgument(args.id, 'id'), {
        content: true,
      });
      if (!message) throw notFound('No such message');
      return message;
    },
  },

  Mailbox: {
    id: (mailbox: MailboxDocument) => mailbox._id!.toHexString(),
    name: (mailbox: MailboxDocument) => mailbox.path.split('/').at(-1) ?? mailbox.path,
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
    thread: (message: MessageView, _args, context: GraphQLContext) =>
      findThreadMessages(context.db, message.user, message),
  },

  Attachment: {
    downloadUrl: (part: AttachmentPart & { downloadUrl: string }) => part.downloadUrl,
  },
};
