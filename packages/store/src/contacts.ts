/**
 * Addresses a user has written to, for compose's suggestions (issue 18). One `contacts` document
 * per user and address under `<user id>:<address>`, so recording a send is an upsert by `_id`
 * equality, and a user's contacts are read with the top-level equality `{user}` (both pushed down
 * by FerretDB).
 * Counts may miss a send when two record the same address at the same instant: they rank
 * suggestions, nothing more, so no lock is taken for them.
 */
import type { Db, ObjectId } from 'mongodb';

/** Contacts kept per user: the least used (then the oldest) go first. */
export const MAX_CONTACTS_PER_USER = 500;

export interface Contact {
  address: string;
  name: string;
  count: number;
  lastUsed: Date;
}

interface ContactDocument extends Contact {
  _id: string;
  user: ObjectId;
}

const contactsOf = (db: Db) => db.collection<ContactDocument>('contacts');

/** The key of one contact of one user. */
const contactKey = (user: ObjectId, address: string) => `${user.toHexString()}:${address}`;

/**
 * Notes that the user wrote to these (normalised) addresses now: each one's count goes up by one,
 * its name is updated when one is given. A new address past the cap drops the least used.
 */
export async function recordContacts(
  db: Db,
  user: ObjectId,
  recipients: readonly { address: string; name?: string | null }[],
  now = new Date(),
): Promise<void> {
  let added = false;
  const seen = new Set<string>();
  for (const recipient of recipients) {
    const address = recipient.address.toLowerCase();
    if (!address || seen.has(address)) continue;
    seen.add(address);
    const name = (recipient.name ?? '').trim().slice(0, 200);
    const result = await contactsOf(db).updateOne(
      { _id: contactKey(user, address) },
      {
        $inc: { count: 1 },
        $set: { lastUsed: now, ...(name ? { name } : {}) },
        $setOnInsert: { user, address, ...(name ? {} : { name: '' }) },
      },
      { upsert: true },
    );
    if (result.upsertedCount) added = true;
  }
  if (added) await trimContacts(db, user);
}

/** Keeps the user's most used MAX_CONTACTS_PER_USER contacts. */
async function trimContacts(db: Db, user: ObjectId): Promise<void> {
  const all = await userContacts(db, user);
  if (all.length <= MAX_CONTACTS_PER_USER) return;
  const dropped = rankContacts(all).slice(MAX_CONTACTS_PER_USER);
  for (const contact of dropped) await contactsOf(db).deleteOne({ _id: contactKey(user, contact.address) });
}

/** Every contact of the user, unordered. */
async function userContacts(db: Db, user: ObjectId): Promise<Contact[]> {
  const documents = await contactsOf(db).find({ user }).toArray();
  return documents.map(({ address, name, count, lastUsed }) => ({ address, name, count, lastUsed }));
}

/** Most used first, then most recently used. */
function rankContacts(contacts: Contact[]): Contact[] {
  return [...contacts].sort(
    (a, b) =>
      b.count - a.count || b.lastUsed.getTime() - a.lastUsed.getTime() || a.address.localeCompare(b.address),
  );
}

/** Whether a word of the name or address (split at blanks and punctuation) starts with `prefix`. */
function matchesWordStart(contact: Contact, prefix: string): boolean {
  const words = `${contact.name} ${contact.address}`.toLowerCase().split(/[\s@.+_\-"'(),<>]+/);
  const whole = [contact.address, contact.name.toLowerCase()];
  return words.some((word) => word.startsWith(prefix)) || whole.some((text) => text.startsWith(prefix));
}

/**
 * The user's contacts whose name or address has a word starting with `prefix` (case-insensitive),
 * most used first, then most recent; at most `first`.
 */
export async function suggestContacts(
  db: Db,
  user: ObjectId,
  prefix: string,
  first: number,
): Promise<Contact[]> {
  const wanted = prefix.trim().toLowerCase();
  if (!wanted) return [];
  const matching = (await userContacts(db, user)).filter((contact) => matchesWordStart(contact, wanted));
  return rankContacts(matching).slice(0, first);
}
