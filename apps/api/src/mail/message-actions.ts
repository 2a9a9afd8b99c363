/**
 * What the webmail and apps do to messages through the API: flag, move, delete (to Trash, or for
 * good from Trash). Every write goes through the mail service; failures are RequestFailures.
 */
import type { Db, Document, ObjectId } from 'mongodb';
import { findMailboxById, findMessagePlaces, normalizeFlags, type MailboxDocument } from '@wildduck/store';
import { removeMessagesById, setFlags, transferMessages } from '@wildduck/mail-service';
import { invalidInput, notFoundFailure, overQuotaFailure } from '../failures.js';
import type { ApiServices } from '../services.js';
import { mailContextOf, parseId, specialUseMailboxOf, type MailAccount } from './mail-account.js';
import { ownedMailbox } from './mailbox-actions.js';
import { messageSummaries } from './mutation-results.js';

/** Ids one call may name. */
const MAX_IDS = 1000;
/** A keyword: an IMAP atom (no spaces, parentheses, wildcards, quotes or backslashes). */
const KEYWORD = /^[^\s(){%*"\\\]\x00-\x1f\x7f]{1,100}$/;

interface MessageGroup {
  mailbox: ObjectId;
  ids: ObjectId[];
  uids: number[];
}

/** The messages named, all of them this user's, grouped by mailbox; else NOT_FOUND (nothing changed). */
async function ownedMessages(
  db: Db,
  user: ObjectId,
  ids: readonly string[],
): Promise<{ ids: ObjectId[]; byMailbox: Map<string, MessageGroup> }> {
  if (ids.length > MAX_IDS) throw invalidInput(`At most ${MAX_IDS} ids at once`, 'ids');
  const unique = [...new Set(ids)];
  const objectIds = unique.map((id) => parseId(id, `No such message: ${id}`, 'ids'));
  const documents = await findMessagePlaces(db, user, objectIds);
  if (documents.length !== objectIds.length) {
    const found = new Set(documents.map((document) => String(document.id)));
    const missing = unique.find((id) => !found.has(id.toLowerCase()));
    throw notFoundFailure(`No such message: ${missing ?? ''}`, 'ids');
  }
  const byMailbox = new Map<string, MessageGroup>();
  for (const document of documents) {
    const mailbox = document.mailbox;
    const group = byMailbox.get(mailbox.toHexString()) ?? { mailbox, ids: [], uids: [] };
    group.ids.push(document.id);
    group.uids.push(document.uid);
    byMailbox.set(mailbox.toHexString(), group);
  }
  return { ids: objectIds, byMailbox };
}

/** Adds or removes flags of the user's messages; the messages as they are now. */
export async function changeFlags(
  services: ApiServices,
  user: MailAccount,
  ids: readonly string[],
  flags: readonly string[],
  action: 'add' | 'remove',
): Promise<Document[]> {
  const normalized = checkFlags(flags);
  const owned = await ownedMessages(services.db, user.userId, ids);
  const mail = mailContextOf(services);
  for (const group of owned.byMailbox.values())
    await setFlags(mail, user.userId, group.mailbox, group.uids, { action, flags: normalized });
  return messageSummaries(services.db, user.userId, owned.ids);
}

/** System flags in their canonical case and keywords as given; anything else is invalid input. */
function checkFlags(flags: readonly string[]): string[] {
  if (!flags.length) throw invalidInput('Name at least one flag', 'flags');
  for (const flag of flags) {
    const valid = flag.startsWith('\\') ? normalizeFlags([flag]).length === 1 : KEYWORD.test(flag);
    if (!valid)
      throw invalidInput(
        `"${flag}" is not a flag: \\Seen, \\Flagged, \\Answered, \\Draft, \\Deleted, or a keyword without spaces or specials`,
        'flags',
      );
  }
  return normalizeFlags(flags);
}

/** Moves the user's messages into one of the user's mailboxes; the messages as they are now. */
export async function moveToMailbox(
  services: ApiServices,
  user: MailAccount,
  ids: readonly string[],
  mailboxId: string,
): Promise<Document[]> {
  const target = await ownedMailbox(services.db, user.userId, mailboxId);
  const owned = await ownedMessages(services.db, user.userId, ids);
  await transfer(services, user, owned.byMailbox.values(), target);
  return messageSummaries(services.db, user.userId, owned.ids);
}

/**
 * Moves message groups into a mailbox (messages keep their ids); the mail service announces both
 * sides and reports moves into or out of Junk (SPAM / NOT_SPAM on the bus and to the webhooks).
 */
async function transfer(
  services: ApiServices,
  user: MailAccount,
  groups: Iterable<{ mailbox: ObjectId; uids: number[] }>,
  target: MailboxDocument,
): Promise<void> {
  const targetId = target._id!;
  const mail = mailContextOf(services);
  const owner = { id: user.userId, address: user.address };
  for (const group of groups) {
    if (group.mailbox.equals(targetId)) continue;
    const source = await findMailboxById(services.db, user.userId, group.mailbox);
    if (!source) continue;
    const result = await transferMessages(mail, owner, 'move', source, group.uids, target);
    if (!result.ok) {
      if (result.code === 'NONEXISTENT')
        throw notFoundFailure(`No such mailbox: ${targetId.toHexString()}`, 'mailboxId');
      throw overQuotaFailure();
    }
  }
}

/** What deleting messages did: moved them to Trash, or (those already there) removed them for good. */
export interface DeletedMessages {
  movedToTrash: string[];
  expunged: string[];
}

/** Deletes the user's messages: into Trash, and out of the store for those already in Trash. */
export async function deleteMessages(
  services: ApiServices,
  user: MailAccount,
  ids: readonly string[],
): Promise<DeletedMessages> {
  const owned = await ownedMessages(services.db, user.userId, ids);
  const trashId = await specialUseMailboxOf(services, user.userId, '\\Trash', 'Trash');
  const trash = await findMailboxById(services.db, user.userId, trashId);
  if (!trash) throw new Error('the Trash mailbox disappeared');
  const inTrash = owned.byMailbox.get(trashId.toHexString());
  const elsewhere = [...owned.byMailbox.values()].filter((group) => !group.mailbox.equals(trashId));
  await transfer(services, user, elsewhere, trash);
  if (inTrash) await removeMessagesById(mailContextOf(services), user.userId, trashId, inTrash.ids);
  return {
    movedToTrash: elsewhere.flatMap((group) => group.ids.map((id) => id.toHexString())),
    expunged: (inTrash?.ids ?? []).map((id) => id.toHexString()),
  };
}
