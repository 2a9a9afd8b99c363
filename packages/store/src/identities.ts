/**
 * The names and addresses a user sends as (issue 18): one `identities` document per user under the
 * user's id, holding the whole list, read with one `_id` equality. The API decides what the list
 * may hold (own addresses only, one default, sanitised signatures) and writes it back whole under
 * `identitiesLock`, since FerretDB loses concurrent updates of one document.
 */
import type { Db, ObjectId } from 'mongodb';

/** One identity as stored. */
export interface StoredIdentity {
  /** 24 hex digits, unique within the user's list. */
  id: string;
  name: string;
  address: string;
  /** Sanitised HTML; '' for none. */
  signatureHtml: string;
  isDefault: boolean;
  created: Date;
}

interface IdentitiesDocument {
  _id: ObjectId;
  list: StoredIdentity[];
}

/** Identities one user may have. */
export const MAX_IDENTITIES = 20;

const identitiesOf = (db: Db) => db.collection<IdentitiesDocument>('identities');

/** The lock under which a user's identities are read, changed and written back. */
export function identitiesLock(user: ObjectId): string {
  return `identities:${user.toHexString()}`;
}

/** The user's stored identities in their order, or null when the user has never had any. */
export async function readIdentities(db: Db, user: ObjectId): Promise<StoredIdentity[] | null> {
  const document = await identitiesOf(db).findOne({ _id: user });
  return document ? document.list : null;
}

/** Replaces the user's identities (hold `identitiesLock`). */
export async function writeIdentities(
  db: Db,
  user: ObjectId,
  list: readonly StoredIdentity[],
): Promise<void> {
  const clean = list.map((identity) => ({
    id: identity.id,
    name: identity.name,
    address: identity.address,
    signatureHtml: identity.signatureHtml,
    isDefault: identity.isDefault,
    created: identity.created,
  }));
  await identitiesOf(db).replaceOne({ _id: user }, { list: clean }, { upsert: true });
}
