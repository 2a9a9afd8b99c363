import type { IResolvers } from '@graphql-tools/utils';
import type { ObjectId } from 'mongodb';
import type { ParsedAddress } from '@wildduck/mime';
import type { Conversation } from '@wildduck/mail-service';
import { findMailboxById, parseObjectId, type MailboxDocument, type MessageView } from '@wildduck/store';
import type { AccessibleMailbox } from '@wildduck/mail-service';
import type { GraphQLContext } from '../context.js';
import { badInput } from '../errors.js';
import { requireUser } from '../viewer.js';
import { toMessageQuery, type MessageSearchInput } from '../../mail/search.js';
import {
  decodeThreadCursor,
  decodeThreadId,
  encodeThreadCursor,
  encodeThreadId,
  type ThreadPosition,
} from '../../mail/thread-cursor.js';
import { messageListIndexes } from '../../mail/list-index.js';
import { currentMailbox, reachableById, reachableMailbox, requireRights } from '../../mail/mailbox-access.js';
import { asReaderQuery, viewerSeen, viewsAsReader } from '../../mail/reader-seen.js';
import { conversationPage, mailboxConversations, matchingConversations } from '../../mail/thread-index.js';

/*
 * Parent of Thread: a LoadedThread, a conversation with the list fields of its messages (oldest
 * first) read for the page. Its MessageSummary fields are answered by mail.ts's resolvers.
 */
interface LoadedThread {
  mailbox: ObjectId;
  conversation: Conversation;
  messages: MessageView[];
}

const MAX_THREADS_PAGE = 100;

function idArgument(value: string, field: string): ObjectId {
  const id = parseObjectId(value);
  if (!id) throw badInput(`${field} must be a 24-character hexadecimal id`, field);
  return id;
}

/**
 * The list fields of the messages of these conversations, from the process's message list index
 * (held in memory); a conversation whose messages all went meanwhile is left out.
 */
async function loadThreads(
  context: GraphQLContext,
  viewer: ObjectId,
  target: AccessibleMailbox,
  mailbox: MailboxDocument,
  conversations: readonly Conversation[],
): Promise<LoadedThread[]> {
  const summaries = await viewsAsReader(
    context,
    viewer,
    target,
    await listIndexes(context).views(
      mailbox,
      conversations.flatMap((conversation) => conversation.uids),
    ),
  );
  const byUid = new Map(summaries.map((message) => [message.uid, message]));
  return conversations
    .map((conversation) => ({
      mailbox: mailbox._id!,
      conversation,
      messages: conversation.uids.flatMap((uid) => byUid.get(uid) ?? []),
    }))
    .filter((thread) => thread.messages.length > 0);
}

const listIndexes = (context: GraphQLContext) => messageListIndexes(context.db, context.store.locks);

const hasFlag = (message: MessageView, flag: string) => (message.flags ?? []).includes(flag);

/** Senders, each address once, in the order they first wrote. */
function participants(messages: readonly MessageView[]) {
  const seen = new Map<string, { name: string | null; address: string }>();
  for (const message of messages)
    for (const sender of (message.hdr?.from ?? []) as ParsedAddress[]) {
      // a group or an unparsable From has no address: nothing to show for it
      const address = typeof sender.address === 'string' ? sender.address : '';
      const key = address.toLowerCase();
      if (address && !seen.has(key)) seen.set(key, { name: sender.name || null, address });
    }
  return [...seen.values()];
}

/** Resolvers of the conversation part of schema/webmail.ts (Query.threads, Query.thread, Thread). */
export const threadResolvers: IResolvers<unknown, GraphQLContext> = {
  Query: {
    threads: async (
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
      if (!Number.isInteger(first) || first < 1 || first > MAX_THREADS_PAGE)
        throw badInput(`first must be from 1 to ${MAX_THREADS_PAGE}`, 'first');
      let after: ThreadPosition | null = null;
      if (args.after !== null && args.after !== undefined) {
        after = decodeThreadCursor(args.after);
        if (!after) throw badInput('after is not a cursor of this list', 'after');
      }
      const asked = toMessageQuery(args.search);
      const target = await reachableMailbox(context, viewer, mailboxId.toHexString(), 'mailboxId', 'r');
      const mailbox = await currentMailbox(context, target, 'mailboxId');
      const query = asReaderQuery(asked, await viewerSeen(context, viewer.userId, target));
      const list = await matchingConversations(listIndexes(context), mailbox, query);
      const { page, hasNextPage } = conversationPage(list, after, first);
      const threads = await loadThreads(context, viewer.userId, target, mailbox, page);
      const edges = threads.map((node) => ({ cursor: encodeThreadCursor(node.conversation), node }));
      const endCursor = page.length ? encodeThreadCursor(page.at(-1)!) : null;
      return { edges, pageInfo: { hasNextPage, endCursor }, totalCount: list.length };
    },
    thread: async (_root, args: { mailboxId: string; id: string }, context: GraphQLContext) => {
      const viewer = requireUser(context.viewer, 'read');
      const mailboxId = idArgument(args.mailboxId, 'mailboxId');
      const key = decodeThreadId(args.id);
      if (key === null) throw badInput('id is not a thread id', 'id');
      // a mailbox the viewer cannot reach has no thread, as one that does not exist
      const target = await reachableById(context, viewer, mailboxId);
      if (!target) return null;
      requireRights(target, 'r', 'mailboxId');
      const mailbox = await findMailboxById(context.db, target.owner, mailboxId);
      if (!mailbox) return null;
      const conversation = (await mailboxConversations(listIndexes(context), mailbox)).byName().get(key);
      if (!conversation) return null;
      const [thread] = await loadThreads(context, viewer.userId, target, mailbox, [conversation]);
      return thread ?? null;
    },
  },

  Thread: {
    id: (thread: LoadedThread) => encodeThreadId(thread.conversation.key),
    mailboxId: (thread: LoadedThread) => thread.mailbox.toHexString(),
    subject: (thread: LoadedThread) => thread.messages[0]!.hdr?.subject ?? '',
    messages: (thread: LoadedThread) => thread.messages,
    messageCount: (thread: LoadedThread) => thread.messages.length,
    unseenCount: (thread: LoadedThread) =>
      thread.messages.filter((message) => !hasFlag(message, '\\Seen')).length,
    latest: (thread: LoadedThread) => thread.messages.at(-1)!,
    participants: (thread: LoadedThread) => participants(thread.messages),
    flagged: (thread: LoadedThread) => thread.messages.some((message) => hasFlag(message, '\\Flagged')),
    hasAttachments: (thread: LoadedThread) => thread.messages.some((message) => message.hasAttachments),
    date: (thread: LoadedThread) => {
      const latest = thread.messages.at(-1)!;
      return latest.hdr?.date ?? latest.internalDate;
    },
  },
};
