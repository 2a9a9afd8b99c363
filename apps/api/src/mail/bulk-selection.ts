/**
 * Which messages a bulk action covers (the MessageSelection input), resolved on the server: the
 * ids given, or every message of a mailbox (those matching a search) but the ones left out, so
 * that "select all" includes what the browser never loaded. Only messages the user can read are
 * found: theirs, and those of mailboxes others share with them (right r).
 */
import type { ObjectId } from 'mongodb';
import { parseObjectId, searchMessages } from '@wildduck/store';
import type { AccessibleMailbox } from '@wildduck/mail-service';
import { invalidInput } from '../failures.js';
import type { ApiServices } from '../services.js';
import type { MailAccount } from './mail-account.js';
import { toMessageQuery, type MessageSearchInput } from './search.js';
import { reachableMailbox, reachableMessages, type ReachablePlace } from './mailbox-access.js';
import { asReaderQuery, viewerSeen } from './reader-seen.js';

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
  /** The mailbox as the user reaches it (its owner's data is acted on). */
  target: AccessibleMailbox;
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
    return groupByMailbox(await placesOf(services, user, selection.ids!, 'selection.ids'));
  }
  return mailboxSelection(services, user, selection);
}

async function mailboxSelection(
  services: ApiServices,
  user: MailAccount,
  selection: MessageSelectionInput,
): Promise<SelectedGroup[]> {
  const asked = toMessageQuery(selection.search);
  const target = await reachableMailbox(services, user, selection.mailboxId!, 'selection.mailboxId', 'r');
  const mailbox = target.mailbox;
  // read and unread by the user's own marks in another user's mailbox
  const query = asReaderQuery(asked, await viewerSeen(services, user.userId, target));
  // the same search planner as the list the user is looking at, so "all" means what it showed
  const uids = await searchMessages(services.db, mailbox._id!, query, services.store.locks);
  const excepted = await placesOf(services, user, selection.exceptIds ?? [], 'selection.exceptIds');
  const left = new Set(
    excepted.filter((place) => place.mailbox.equals(mailbox._id!)).map((place) => place.uid),
  );
  const selected = left.size ? uids.filter((uid) => !left.has(uid)) : uids;
  return selected.length ? [{ mailbox: mailbox._id!, target, uids: selected }] : [];
}

/** Where the messages the user can read among these ids are; the others are skipped. */
async function placesOf(
  services: ApiServices,
  user: MailAccount,
  ids: readonly string[],
  field: string,
): Promise<ReachablePlace[]> {
  if (ids.length > MAX_SELECTED_IDS)
    throw invalidInput(`At most ${MAX_SELECTED_IDS} ids at once: select the whole mailbox instead`, field);
  const objectIds = [...new Set(ids.map((id) => id.toLowerCase()))]
    .map(parseObjectId)
    .filter((id): id is ObjectId => id !== undefined);
  const places: ReachablePlace[] = [];
  for (let start = 0; start < objectIds.length; start += ID_LOOKUP_BATCH)
    places.push(
      ...(await reachableMessages(services, user, objectIds.slice(start, start + ID_LOOKUP_BATCH))),
    );
  return places;
}

function groupByMailbox(places: readonly ReachablePlace[]): SelectedGroup[] {
  const groups = new Map<string, SelectedGroup>();
  for (const place of places) {
    const key = place.mailbox.toHexString();
    const group = groups.get(key) ?? { mailbox: place.mailbox, target: place.target, uids: [] };
    group.uids.push(place.uid);
    groups.set(key, group);
  }
  for (const group of groups.values()) group.uids.sort((a, b) => a - b);
  return [...groups.values()];
}
