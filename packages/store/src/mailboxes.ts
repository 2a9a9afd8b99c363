import { Double, type Db, type ObjectId } from 'mongodb';
import { mailboxes as mailboxSpec, validateDocument } from '@wildduck/schema';
import { StoreError } from './errors.js';
import { recordChanges } from './journal.js';
import { SEARCH_VERSION } from './search-index.js';
import { takeUidValidities } from './uid-validity.js';

/** The folders every new account gets, with their SPECIAL-USE flags (RFC 6154). */
export const DEFAULT_MAILBOXES: readonly { path: string; specialUse: string | null }[] = [
  { path: 'INBOX', specialUse: null },
  { path: 'Drafts', specialUse: '\\Drafts' },
  { path: 'Sent Mail', specialUse: '\\Sent' },
  { path: 'Junk', specialUse: '\\Junk' },
  { path: 'Trash', specialUse: '\\Trash' },
  { path: 'Archive', specialUse: '\\Archive' },
];

/** A mailbox document as stored. */
export interface MailboxDocument {
  _id?: ObjectId;
  user: ObjectId;
  path: string;
  specialUse: string | null;
  subscribed: boolean;
  uidValidity: number;
  uidNext: number;
  highestModseq: number | Double;
  /**
   * Message counters, kept by every write in the update that takes its UIDs or MODSEQs (counters.ts):
   * how many messages, how many without \Seen, and their bytes. Absent in mailboxes stored before
   * they existed; computed once on first use.
   */
  messages?: number;
  unseen?: number;
  size?: number | Double;
  /** The layout of the mailbox's search documents (search-index.ts); absent in mailboxes from before them. */
  searchVersion?: number;
  created: Date;
}

/** A new, empty mailbox document (not yet inserted), with a UIDVALIDITY from `takeUidValidities`. */
export function newMailboxDocument(
  user: ObjectId,
  path: string,
  specialUse: string | null,
  uidValidity: number,
  now = new Date(),
): MailboxDocument {
  return {
    user,
    path,
    specialUse,
    subscribed: true,
    uidValidity,
    uidNext: 1,
    // 1, journalled as MAILBOX_CREATED: RFC 7162 wants HIGHESTMODSEQ >= 1 even for an empty mailbox,
    // and readers need every MODSEQ to have its entry. A double, so $inc never overflows 32 bits.
    highestModseq: new Double(1),
    messages: 0,
    unseen: 0,
    size: new Double(0),
    searchVersion: SEARCH_VERSION,
    created: now,
  };
}

/** Inserts the default mailboxes of a new account. */
export async function createDefaultMailboxes(db: Db, user: ObjectId): Promise<void> {
  const now = new Date();
  const firstUidValidity = await takeUidValidities(db, user, DEFAULT_MAILBOXES.length, now);
  const documents = DEFAULT_MAILBOXES.map(({ path, specialUse }, index) =>
    newMailboxDocument(user, path, specialUse, firstUidValidity + index, now),
  );
  for (const document of documents) {
    const problems = validateDocument(mailboxSpec.validator!, document);
    if (problems.length)
      throw new StoreError('INVALID_DOCUMENT', `Invalid mailbox document: ${problems.join('; ')}`);
  }
  const { insertedIds } = await db
    .collection<MailboxDocument>('mailboxes')
    .insertMany(documents, { ordered: true });
  await recordChanges(
    db,
    Object.values(insertedIds).map((mailbox) => ({
      mailbox,
      user,
      modseq: 1,
      kind: 'MAILBOX_CREATED' as const,
      uid: null,
      flags: null,
    })),
  );
}

/** The user's mailboxes, ordered by path. */
export async function listMailboxes(db: Db, user: ObjectId): Promise<MailboxDocument[]> {
  return db.collection<MailboxDocument>('mailboxes').find({ user }).sort({ path: 1 }).toArray();
}
