/**
 * Which messages a bulk action covers (the MessageSelection input), resolved on the server: the
 * ids given, or every message of a mailbox (those matching a search) but the ones left out, so
 * that "select all" includes what the browser never loaded. Only the user's messages are found.
 */
import type { ObjectId } from 'mongodb';
import { findMailboxById, findMessagePlaces, parseObjectId, searchMessages } from '@wildduck/store';
import { invalidInput, notFoundFailure } from '../failures.js';
import type { ApiServices } from '../services.js';
import type { MailAccount } from './mail-account.js';
import { toMessageQuery, type MessageSearchInput } from './search.js';

/** The MessageSelection input of the GraphQL schema. */
export interface MessageSelectionInput {
  ids?: readonly string[] | null;
  mailboxId?: string | null;
  search?: MessageSearchInput | null;
  exceptIds?: readonly string[] | null;
}

/** Selected messages of one mailbox, by UID (what the mail service's writes take). */
export interface SelectedGroup {
  mailbox: ObjectId;
  uids: number[];
}

/** Ids one selection may name (select all in a folder names a mailbox instead). */
export const MAX_SELECTED_IDS = 5000;
/** Ids read per store query: `_id $in` is evaluated over the user's messages on FerretDB. */
const ID_LOOKUP_BATCH = 500;

/**
 * The selected messages grouped by mailbox. Ids that are not the user's (another user's, gone,
 * or no id at all) are simply not selected, as in a list that changed meanwhile.
 */
export async function resolveSelection(
  services: ApiServices,
  user: MailAccount,
  selection: MessageSelectionInput,
): Promise<SelectedGroup[]> {
  const hasIds = selection.ids !== null && selection.ids !== undefined;
  const hasMailbox = selection.mailboxId !== null && selection.mailboxId !== undefined;
  if (hasIds === hasMailbox)
    throw invalidInput('Select messages by ids or by mailboxId (exactly one of them)', 'selection');
  if (hasIds) {
    if (selection.search || selection.exceptIds?.length)
      throw invalidInput('search and exceptIds go with mailboxId, not with ids', 'selection');
    return groupByMailbox(await placesOf(services, user.userId, selection.ids!, 'selection.ids'));
  }
  return mailboxSelection(services, user, selection);
}

async function mailboxSelection(
  services: ApiServices,
  user: MailAccount,
  selection: MessageSelectionInput,
): Promise<SelectedGroup[]> {
  const query = toMessageQuery(selection.search);
  const mailboxId = parseObjectId(selection.mailboxId!);
  const mailbox = mailboxId && (await findMailboxById(services.db, user.userId, mailboxId));
  if (!mailbox) throw notFoundFailure(`No such mailbox: ${selection.mailboxId}`, 'selection.mailboxId');
  // the same search planner as the list the user is looking at, so "all" means what it showed
  const uids = await searchMessages(services.db, mailbox._id!, query, services.store.locks);
  const excepted = await placesOf(services, user.userId, selection.exceptIds ?? [], 'selection.exceptIds');
  const left = new Set(
    excepted.filter((place) => place.mailbox.equals(mailbox._id!)).map((place) => place.uid),
  );
  const selected = left.size ? uids.filter((uid) => !left.has(uid)) : uids;
  return selected.length ? [{ mailbox: mailbox._id!, uids: selected }] : [];
}

/** Where the user's messages among these ids are; ids of nobody's message are skipped. */
async function placesOf(services: ApiServices, user: ObjectId, ids: readonly string[], field: string) {
  if (ids.length > MAX_SELECTED_IDS)
    throw invalidInput(`At most ${MAX_SELECTED_IDS} ids at once: select the whole mailbox instead`, field);
  const objectIds = [...new Set(ids.map((id) => id.toLowerCase()))]
    .map(parseObjectId)
    .filter((id): id is ObjectId => id !== undefined);
  const places = [];
  for (let start = 0; start < objectIds.length; start += ID_LOOKUP_BATCH)
    places.push(
      ...(await findMessagePlaces(services.db, user, objectIds.slice(start, start + ID_LOOKUP_BATCH))),
    );
  return places;
}

function groupByMailbox(places: readonly { mailbox: ObjectId; uid: number }[]): SelectedGroup[] {
  const groups = new Map<string, SelectedGroup>();
  for (const place of places) {
    const key = place.mailbox.toHexString();
    const group = groups.get(key) ?? { mailbox: place.mailbox, uids: [] };
    group.uids.push(place.uid);
    groups.set(key, group);
  }
  for (const group of groups.values()) group.uids.sort((a, b) => a - b);
  return [...groups.values()];
}
