import { randomUUID } from 'node:crypto';
import type { IResolvers } from '@graphql-tools/utils';
import type { GraphQLError } from 'graphql';
import { ObjectId, type Db } from 'mongodb';
import {
  findMailboxById,
  findMessagePlaces,
  findThreadingHeaders,
  normalizeFlags,
  validateMailboxPath,
  type MailboxDocument,
} from '@wildduck/store';
import {
  findLocalRecipient,
  SmtpReply,
  specialUseMailbox,
  submitMessage,
  type LocalRecipient,
  type SubmitDeps,
} from '@wildduck/delivery';
import {
  createMailbox,
  deleteMailbox,
  JunkReporter,
  removeMessagesById,
  renameMailbox,
  setFlags,
  storeMessage,
  transferMessages,
  type MailContext,
} from '@wildduck/mail-service';
import type { GraphQLContext } from '../context.js';
import { badInput, notFound, overQuota, serviceUnavailable } from '../errors.js';
import { requireUser, type Viewer } from '../viewer.js';
import {
  checkRecipients,
  composeMessage,
  type ComposeInput,
  type Recipient,
  type RecipientField,
  type ReplyTarget,
} from '../../mail/compose.js';
import { mailboxResult, messageSummaries } from '../../mail/mutation-results.js';

type User = Extract<Viewer, { kind: 'user' }>;

/** Ids one call may name. */
const MAX_IDS = 1000;
/** A keyword: an IMAP atom (no spaces, parentheses, wildcards, quotes or backslashes). */
const KEYWORD = /^[^\s(){%*"\\\]\x00-\x1f\x7f]{1,100}$/;

/** Resolvers of the Mutation fields of schema/mail.ts. */
export const mailMutationResolvers: IResolvers<unknown, GraphQLContext> = {
  Mutation: {
    setFlags: (_root, args: { ids: string[]; flags: string[] }, ctx: GraphQLContext) =>
      changeFlags(ctx, args.ids, args.flags, 'add'),
    clearFlags: (_root, args: { ids: string[]; flags: string[] }, ctx: GraphQLContext) =>
      changeFlags(ctx, args.ids, args.flags, 'remove'),
    moveMessages: (_root, args: { ids: string[]; mailboxId: string }, ctx: GraphQLContext) =>
      moveToMailbox(ctx, args.ids, args.mailboxId),
    deleteMessages: (_root, args: { ids: string[] }, ctx: GraphQLContext) => deleteMessages(ctx, args.ids),
    createMailbox: (_root, args: { path: string }, ctx: GraphQLContext) => createUserMailbox(ctx, args.path),
    renameMailbox: (_root, args: { id: string; path: string }, ctx: GraphQLContext) =>
      renameUserMailbox(ctx, args.id, args.path),
    deleteMailbox: (_root, args: { id: string }, ctx: GraphQLContext) => deleteUserMailbox(ctx, args.id),
    send: (_root, args: { input: ComposeInput }, ctx: GraphQLContext) => send(ctx, args.input),
    saveDraft: (_root, args: { input: ComposeInput; replaceId?: string | null }, ctx: GraphQLContext) =>
      saveDraft(ctx, args.input, args.replaceId ?? null),
  },
};

// ---------------------------------------------------------------------------------------------
// messages

/** The messages named, all of them this user's, grouped by mailbox; else NOT_FOUND (nothing changed). */
async function ownedMessages(
  db: Db,
  user: ObjectId,
  ids: readonly string[],
): Promise<{
  ids: ObjectId[];
  byMailbox: Map<string, { mailbox: ObjectId; ids: ObjectId[]; uids: number[] }>;
}> {
  if (ids.length > MAX_IDS) throw badInput(`At most ${MAX_IDS} ids at once`, 'ids');
  const unique = [...new Set(ids)];
  const objectIds = unique.map((id) => parseId(id, () => notFound(`No such message: ${id}`)));
  const documents = await findMessagePlaces(db, user, objectIds);
  if (documents.length !== objectIds.length) {
    const found = new Set(documents.map((document) => String(document.id)));
    const missing = unique.find((id) => !found.has(id.toLowerCase()));
    throw notFound(`No such message: ${missing ?? ''}`);
  }
  const byMailbox = new Map<string, { mailbox: ObjectId; ids: ObjectId[]; uids: number[] }>();
  for (const document of documents) {
    const mailbox = document.mailbox;
    const group = byMailbox.get(mailbox.toHexString()) ?? { mailbox, ids: [], uids: [] };
    group.ids.push(document.id);
    group.uids.push(document.uid);
    byMailbox.set(mailbox.toHexString(), group);
  }
  return { ids: objectIds, byMailbox };
}

async function changeFlags(
  ctx: GraphQLContext,
  ids: readonly string[],
  flags: readonly string[],
  action: 'add' | 'remove',
) {
  const user = requireUser(ctx.viewer, 'write');
  const normalized = checkFlags(flags);
  const owned = await ownedMessages(ctx.db, user.userId, ids);
  for (const group of owned.byMailbox.values()) {
    await setFlags(mailContext(ctx), user.userId, group.mailbox, group.uids, { action, flags: normalized });
  }
  return messageSummaries(ctx.db, user.userId, owned.ids);
}

/** System flags in their canonical case and keywords as given; anything else is BAD_USER_INPUT. */
function checkFlags(flags: readonly string[]): string[] {
  if (!flags.length) throw badInput('Name at least one flag', 'flags');
  for (const flag of flags) {
    const valid = flag.startsWith('\\') ? normalizeFlags([flag]).length === 1 : KEYWORD.test(flag);
    if (!valid)
      throw badInput(
        `"${flag}" is not a flag: \\Seen, \\Flagged, \\Answered, \\Draft, \\Deleted, or a keyword without spaces or specials`,
        'flags',
      );
  }
  return normalizeFlags(flags);
}

async function moveToMailbox(ctx: GraphQLContext, ids: readonly string[], mailboxId: string) {
  const user = requireUser(ctx.viewer, 'write');
  const target = await ownedMailbox(ctx.db, user.userId, mailboxId);
  const owned = await ownedMessages(ctx.db, user.userId, ids);
  await transfer(ctx, user, owned.byMailbox.values(), target);
  return messageSummaries(ctx.db, user.userId, owned.ids);
}

/**
 * Moves message groups into a mailbox (messages keep their ids); the mail service announces both
 * sides and reports moves into or out of Junk (SPAM / NOT_SPAM on the bus and to the webhooks).
 */
async function transfer(
  ctx: GraphQLContext,
  user: User,
  groups: Iterable<{ mailbox: ObjectId; uids: number[] }>,
  target: MailboxDocument,
): Promise<void> {
  const targetId = target._id!;
  const mail = mailContext(ctx);
  const owner = { id: user.userId, address: user.address };
  for (const group of groups) {
    if (group.mailbox.equals(targetId)) continue;
    const source = await findMailboxById(ctx.db, user.userId, group.mailbox);
    if (!source) continue;
    const result = await transferMessages(mail, owner, 'move', source, group.uids, target);
    if (!result.ok) {
      if (result.code === 'NONEXISTENT') throw notFound(`No such mailbox: ${targetId.toHexString()}`);
      throw overQuota();
    }
  }
}

async function deleteMessages(ctx: GraphQLContext, ids: readonly string[]) {
  const user = requireUser(ctx.viewer, 'write');
  const owned = await ownedMessages(ctx.db, user.userId, ids);
  const trashId = await specialUseMailbox(deliveryDeps(ctx), user.userId, '\\Trash', 'Trash');
  const trash = await findMailboxById(ctx.db, user.userId, trashId);
  if (!trash) throw new Error('the Trash mailbox disappeared');
  const inTrash = owned.byMailbox.get(trashId.toHexString());
  const elsewhere = [...owned.byMailbox.values()].filter((group) => !group.mailbox.equals(trashId));
  await transfer(ctx, user, elsewhere, trash);
  if (inTrash) await removeMessagesById(mailContext(ctx), user.userId, trashId, inTrash.ids);
  return {
    movedToTrash: elsewhere.flatMap((group) => group.ids.map((id) => id.toHexString())),
    expunged: (inTrash?.ids ?? []).map((id) => id.toHexString()),
  };
}

// ---------------------------------------------------------------------------------------------
// mailboxes

async function ownedMailbox(db: Db, user: ObjectId, id: string): Promise<MailboxDocument> {
  const missing = () => notFound(`No such mailbox: ${id}`);
  const mailbox = await findMailboxById(db, user, parseId(id, missing));
  if (!mailbox) throw missing();
  return mailbox;
}

/** A mailbox path as given, checked (BAD_USER_INPUT field 'path'); INBOX in any case is INBOX. */
function checkPath(path: string): string {
  const problem = validateMailboxPath(path);
  if (problem) throw badInput(`Invalid mailbox path: ${problem}`, 'path');
  const [first, ...rest] = path.split('/');
  return first!.toUpperCase() === 'INBOX' ? ['INBOX', ...rest].join('/') : path;
}

async function createUserMailbox(ctx: GraphQLContext, path: string) {
  const user = requireUser(ctx.viewer, 'write');
  const checked = checkPath(path);
  const outcome = await createMailbox(mailContext(ctx), user.userId, checked);
  if (!outcome.ok) {
    if (outcome.code === 'ALREADYEXISTS') throw badInput(`A mailbox "${checked}" exists already`, 'path');
    throw badInput(`Cannot create a mailbox "${checked}"`, 'path');
  }
  return mailboxResult(ctx.db, user.userId, outcome.mailbox!);
}

async function renameUserMailbox(ctx: GraphQLContext, id: string, path: string) {
  const user = requireUser(ctx.viewer, 'write');
  const mailbox = await ownedMailbox(ctx.db, user.userId, id);
  const checked = checkPath(path);
  if (mailbox.path === 'INBOX') throw badInput('INBOX cannot be renamed', 'id');
  if (checked === mailbox.path) return mailboxResult(ctx.db, user.userId, mailbox._id!);
  if (checked === 'INBOX' || checked.startsWith(`${mailbox.path}/`))
    throw badInput(`Cannot rename "${mailbox.path}" to "${checked}"`, 'path');
  const outcome = await renameMailbox(mailContext(ctx), user.userId, mailbox.path, checked);
  if (!outcome.ok) {
    if (outcome.code === 'ALREADYEXISTS') throw badInput(`A mailbox "${checked}" exists already`, 'path');
    if (outcome.code === 'NONEXISTENT') throw notFound(`No such mailbox: ${id}`);
    throw badInput(`Cannot rename "${mailbox.path}" to "${checked}"`, 'path');
  }
  return mailboxResult(ctx.db, user.userId, mailbox._id!);
}

async function deleteUserMailbox(ctx: GraphQLContext, id: string): Promise<boolean> {
  const user = requireUser(ctx.viewer, 'write');
  const mailbox = await ownedMailbox(ctx.db, user.userId, id);
  if (mailbox.path === 'INBOX') throw badInput('INBOX cannot be deleted', 'id');
  if (mailbox.specialUse)
    throw badInput(
      `"${mailbox.path}" is the ${mailbox.specialUse.slice(1)} mailbox and cannot be deleted`,
      'id',
    );
  if (!(await deleteMailbox(mailContext(ctx), user.userId, mailbox)).ok)
    throw notFound(`No such mailbox: ${id}`);
  return true;
}

// ---------------------------------------------------------------------------------------------
// sending and drafts

/** The message a reply answers (NOT_FOUND when it is not this user's). */
async function replyTarget(
  db: Db,
  user: ObjectId,
  id: string | null | undefined,
): Promise<ReplyTarget | null> {
  if (id === null || id === undefined) return null;
  const missing = () => notFound(`No such message: ${id}`);
  const messageId = parseId(id, missing);
  const headers = await findThreadingHeaders(db, user, messageId);
  if (!headers) throw missing();
  return { id: messageId, ...headers };
}

async function send(ctx: GraphQLContext, input: ComposeInput) {
  const user = requireUser(ctx.viewer, 'send');
  const recipients = checkRecipients(input);
  if (!recipients.length) throw badInput('Name at least one recipient (to, cc or bcc)', 'to');
  const replyTo = await replyTarget(ctx.db, user.userId, input.inReplyTo);

  // recipients are looked up first, so a refused one costs no composing
  const local: LocalRecipient[] = [];
  const remote: string[] = [];
  for (const recipient of recipients) {
    let found: LocalRecipient | null;
    try {
      found = await findLocalRecipient(ctx.db, recipient.address);
    } catch (error) {
      throw submissionError(error, recipients, recipient);
    }
    if (found) local.push(found);
    else if (ctx.smarthost) remote.push(recipient.address);
    else
      throw badInput(
        `${recipient.field}: <${recipient.address}> is not on this server, and sending to outside addresses is not configured`,
        recipient.field,
      );
  }

  const composed = await composeMessage(ctx.db, user, input, { serverName: ctx.serverName, replyTo });
  let result;
  try {
    result = await submitMessage(deliveryDeps(ctx), {
      sender: { id: user.userId, address: user.address },
      recipients: { local, remote },
      message: composed.stream(),
      trace: {
        heloName: 'graphql',
        remoteAddress: ctx.remoteAddress || '127.0.0.1',
        serverName: ctx.serverName,
        protocol: 'HTTP',
        id: randomUUID(),
      },
    });
  } catch (error) {
    throw submissionError(error, composed.recipients);
  }
  if (!result) throw new Error('the submission was discarded');
  ctx.logger.info(
    { user: user.userId.toHexString(), local: result.localCopies, remote: remote.length },
    'GraphQL send',
  );
  if (replyTo) await markAnswered(ctx, user, replyTo.id);
  const [sent] = await messageSummaries(ctx.db, user.userId, [result.sent.id]);
  return {
    messageId: result.messageId,
    sent,
    rejected: result.rejected.map((entry) => entry.address),
  };
}

/** Gives the answered message \Answered (when it is still there). */
async function markAnswered(ctx: GraphQLContext, user: User, id: ObjectId): Promise<void> {
  const [answered] = await findMessagePlaces(ctx.db, user.userId, [id]);
  if (!answered) return;
  await setFlags(mailContext(ctx), user.userId, answered.mailbox, [answered.uid], {
    action: 'add',
    flags: ['\\Answered'],
  });
}

/**
 * A refusal of the submission as a GraphQL error: a full mailbox is OVER_QUOTA; a refused recipient
 * or message is BAD_USER_INPUT naming the field; a smarthost that cannot be reached (nothing was
 * sent or kept) is SERVICE_UNAVAILABLE; a store failure stays an internal error.
 */
function submissionError(error: unknown, recipients: readonly Recipient[], recipient?: Recipient): unknown {
  if (!(error instanceof SmtpReply)) return error;
  const text = error.message;
  const named = /<([^<>]+)>/.exec(text)?.[1];
  const who = recipient ?? recipients.find((entry) => entry.address === named);
  const field: RecipientField = who?.field ?? 'to';
  if (text.startsWith('5.2.2'))
    return overQuota(named ? `The mailbox of <${named}> is full (over quota); nothing was sent` : undefined);
  if (text.startsWith('5.3.4')) return badInput(`The message is too big: ${text.slice(6)}`, 'attachments');
  if (text.startsWith('5.2.1') || text.startsWith('5.1.1'))
    return badInput(`${field}: <${named ?? ''}> cannot receive mail`, field);
  if (text.startsWith('5.4.0'))
    return badInput(`The outside recipients were refused: ${text.slice(6)}`, field);
  if (text.startsWith('4.4.1') || text.startsWith('4.3.0'))
    return serviceUnavailable(`Nothing was sent; try again later (${text.slice(6)})`);
  if (error.temporary) return error;
  return badInput(`The message was refused: ${text}`, 'input');
}

async function saveDraft(ctx: GraphQLContext, input: ComposeInput, replaceId: string | null) {
  const user = requireUser(ctx.viewer, 'write');
  let replaced: { _id: ObjectId; mailbox: ObjectId } | null = null;
  if (replaceId !== null) {
    const missing = () => notFound(`No such message: ${replaceId}`);
    const [document] = await findMessagePlaces(ctx.db, user.userId, [parseId(replaceId, missing)]);
    if (!document) throw missing();
    if (!document.flags.includes('\\Draft'))
      throw badInput('replaceId is not a draft (it has no \\Draft flag)', 'replaceId');
    replaced = { _id: document.id, mailbox: document.mailbox };
  }
  const replyTo = await replyTarget(ctx.db, user.userId, input.inReplyTo);
  const composed = await composeMessage(ctx.db, user, input, { serverName: ctx.serverName, replyTo });
  const drafts = await specialUseMailbox(deliveryDeps(ctx), user.userId, '\\Drafts', 'Drafts');
  const stored = await storeMessage(mailContext(ctx), user.userId, drafts, composed.stream(), {
    flags: ['\\Draft', '\\Seen'],
  });
  if (!stored.ok) {
    if (stored.code === 'OVERQUOTA')
      throw overQuota('Your mailbox is full (over quota): the draft was not saved');
    if (stored.code === 'TOOBIG') throw badInput('The draft is too big', 'attachments');
    throw notFound('The Drafts mailbox is gone');
  }
  if (replaced) await removeMessagesById(mailContext(ctx), user.userId, replaced.mailbox, [replaced._id]);
  const [summary] = await messageSummaries(ctx.db, user.userId, [stored.id]);
  return summary;
}

// ---------------------------------------------------------------------------------------------
// shared

function parseId(id: string, missing: () => GraphQLError): ObjectId {
  if (!/^[0-9a-f]{24}$/i.test(id)) throw missing();
  return new ObjectId(id);
}

function deliveryDeps(ctx: GraphQLContext): SubmitDeps {
  return {
    ctx: ctx.store,
    bus: ctx.bus,
    serverName: ctx.serverName,
    ...(ctx.smarthost ? { smarthost: ctx.smarthost } : {}),
    onStoreError: (error: unknown) => ctx.logger.warn({ err: error }, 'storing a sent message failed'),
  };
}

/** The mail service's context for this request: writes are stored, journalled and announced there. */
function mailContext(ctx: GraphQLContext): MailContext {
  return {
    ctx: ctx.store,
    bus: ctx.bus,
    junkReporter: new JunkReporter({
      ctx: ctx.store,
      bus: ctx.bus,
      ...(ctx.webhooks ? { webhooks: ctx.webhooks } : {}),
      apiUrl: ctx.publicUrl,
      logger: ctx.logger,
    }),
  };
}
