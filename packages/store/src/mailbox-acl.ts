/**
 * Access lists of shared mailboxes (RFC 4314), as stored: one `mailboxAcl` document per (mailbox,
 * grantee). The owner holds every right without a document. Rights are kept as the letters of
 * `ALL_RIGHTS`, in that order; the obsolete `c` and `d` are the protocol's business (imap-core).
 */
import type { Db, ObjectId } from 'mongodb';
import { mailboxAcl as aclSpec, validateDocument } from '@wildduck/schema';
import { StoreError } from './errors.js';

/** Every right of RFC 4314 we keep, in canonical order. */
export const ALL_RIGHTS = 'lrswipkxtea';

/** The groups an access list may name besides users (RFC 4314 2). */
export const ACL_GROUPS = ['anyone', 'authenticated'] as const;
export type AclGroup = (typeof ACL_GROUPS)[number];

/** One stored access list entry. */
export interface AclDocument {
  _id?: ObjectId;
  mailbox: ObjectId;
  owner: ObjectId;
  /** A user's id (24 hex digits) or a group of ACL_GROUPS. */
  grantee: string;
  /** The grantee's address when it is a user, for display. */
  granteeAddress: string | null;
  rights: string;
  updated: Date;
}

/** The rights in canonical order, each once; null when a letter is not a right we keep. */
export function canonicalRights(letters: string): string | null {
  const have = new Set<string>();
  for (const letter of letters) {
    if (!ALL_RIGHTS.includes(letter)) return null;
    have.add(letter);
  }
  return [...ALL_RIGHTS].filter((right) => have.has(right)).join('');
}

/** The union of rights, canonical. */
export function unionRights(...sets: readonly string[]): string {
  const have = new Set(sets.join(''));
  return [...ALL_RIGHTS].filter((right) => have.has(right)).join('');
}

/** True when `rights` has every letter of `needed`. */
export function hasRights(rights: string, needed: string): boolean {
  return [...needed].every((right) => rights.includes(right));
}

/**
 * What `user` may do with a mailbox of `owner` whose access list is `entries`: everything for the
 * owner, else the union of the user's own entry and the groups' (`authenticated` is every signed-in
 * user, which everyone asking here is).
 */
export function effectiveRights(entries: readonly AclDocument[], owner: ObjectId, user: ObjectId): string {
  if (owner.equals(user)) return ALL_RIGHTS;
  const userId = user.toHexString();
  return unionRights(
    ...entries
      .filter(
        (entry) => entry.grantee === userId || (ACL_GROUPS as readonly string[]).includes(entry.grantee),
      )
      .map((entry) => entry.rights),
  );
}

function collection(db: Db) {
  return db.collection<AclDocument>('mailboxAcl');
}

/** The access list of a mailbox (without the owner, who holds every right). */
export async function readMailboxAcl(db: Db, mailbox: ObjectId): Promise<AclDocument[]> {
  return collection(db).find({ mailbox }).toArray();
}

/** The entries naming a grantee (a user id or a group): what is shared with them. */
export async function readSharesOf(db: Db, grantee: string): Promise<AclDocument[]> {
  return collection(db).find({ grantee }).toArray();
}

/** Every entry of mailboxes a user owns (the console's "shared by me"). */
export async function readSharesBy(db: Db, owner: ObjectId): Promise<AclDocument[]> {
  return collection(db).find({ owner }).toArray();
}

/**
 * Sets a grantee's rights on a mailbox (canonical letters); empty rights remove the entry. Returns
 * the rights stored before ('' when none), so callers can tell what changed.
 */
export async function writeAclEntry(
  db: Db,
  entry: {
    mailbox: ObjectId;
    owner: ObjectId;
    grantee: string;
    granteeAddress: string | null;
    rights: string;
  },
): Promise<string> {
  const rights = canonicalRights(entry.rights);
  if (rights === null) throw new StoreError('INVALID_DOCUMENT', `Unknown rights: ${entry.rights}`);
  const filter = { mailbox: entry.mailbox, grantee: entry.grantee };
  if (!rights) {
    const removed = await collection(db).findOneAndDelete(filter);
    return removed?.rights ?? '';
  }
  const document: AclDocument = { ...entry, rights, updated: new Date() };
  const problems = validateDocument(aclSpec.validator!, document);
  if (problems.length)
    throw new StoreError('INVALID_DOCUMENT', `Invalid access list entry: ${problems.join('; ')}`);
  const before = await collection(db).findOneAndUpdate(
    filter,
    {
      $set: {
        owner: document.owner,
        granteeAddress: document.granteeAddress,
        rights,
        updated: document.updated,
      },
    },
    { upsert: true, returnDocument: 'before' },
  );
  return before?.rights ?? '';
}

/** Forgets a mailbox's access list (the mailbox was deleted). */
export async function deleteMailboxAcl(db: Db, mailbox: ObjectId): Promise<void> {
  await collection(db).deleteMany({ mailbox });
}

/** Forgets everything shared with or by a user (the account was deleted). */
export async function deleteAclOfUser(db: Db, user: ObjectId): Promise<void> {
  await collection(db).deleteMany({ grantee: user.toHexString() });
  await collection(db).deleteMany({ owner: user });
}
