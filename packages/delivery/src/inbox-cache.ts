import type { Db, ObjectId } from 'mongodb';
import { findMailbox } from '@wildduck/store';

/** Accounts whose INBOX id is remembered per database; the oldest is forgotten beyond this. */
const MAX_ENTRIES = 10_000;

const cached = new WeakMap<Db, Map<string, ObjectId>>();

/**
 * The id of a user's INBOX, read from the store once and then remembered: every delivery to a
 * recipient needs it, and each lookup is a round trip that costs milliseconds on the embedded store.
 * Remembering it is safe because an INBOX keeps its id for the life of the account (it cannot be
 * deleted, and RENAME INBOX moves its messages out instead of renaming it). Should the account go
 * away, the delivery finds no mailbox under that id and is refused, as it would be without a cache.
 */
export async function inboxOf(db: Db, user: ObjectId): Promise<ObjectId | null> {
  let entries = cached.get(db);
  if (!entries) cached.set(db, (entries = new Map()));
  const key = user.toHexString();
  const known = entries.get(key);
  if (known) return known;
  const inbox = await findMailbox(db, user, 'INBOX');
  if (!inbox?._id) return null;
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(key, inbox._id);
  return inbox._id;
}
