import type { Db, ObjectId } from 'mongodb';
import { appPasswords as appPasswordSpec, validateDocument } from '@wildduck/schema';
import { StoreError } from './errors.js';

/** What an app password may sign in to (the schema's enum of `scopes`). */
export type AppPasswordScope = 'imap' | 'smtp' | 'managesieve' | 'api';

/** An app password as stored: never the secret, only its hash keyed with the user id. */
export interface AppPasswordDocument {
  _id: ObjectId;
  user: ObjectId;
  name: string;
  secretHash: string;
  scopes: AppPasswordScope[];
  created: Date;
  /** When it last signed a client in, and the client's address then. */
  lastUsed: Date | null;
  lastAddress: string | null;
}

const appPasswordsOf = (db: Db) => db.collection<AppPasswordDocument>('appPasswords');

/** Stores a new app password. */
export async function insertAppPassword(db: Db, appPassword: AppPasswordDocument): Promise<void> {
  const problems = validateDocument(appPasswordSpec.validator!, appPassword);
  if (problems.length)
    throw new StoreError('INVALID_DOCUMENT', `Invalid app password document: ${problems.join('; ')}`);
  await appPasswordsOf(db).insertOne(appPassword);
}

/** The user's app passwords, oldest first. */
export async function listUserAppPasswords(db: Db, user: ObjectId): Promise<AppPasswordDocument[]> {
  return appPasswordsOf(db).find({ user }).sort({ created: 1, _id: 1 }).toArray();
}

/** How many app passwords the user holds. */
export async function countUserAppPasswords(db: Db, user: ObjectId): Promise<number> {
  return appPasswordsOf(db).countDocuments({ user });
}

/** Deletes one of the user's app passwords; false when the user has none with this id. */
export async function deleteUserAppPassword(db: Db, user: ObjectId, id: ObjectId): Promise<boolean> {
  return (await appPasswordsOf(db).deleteOne({ _id: id, user })).deletedCount === 1;
}

/** The user's app password with this secret hash, or null (`{user, secretHash}`: equality FerretDB pushes down). */
export async function findUserAppPassword(
  db: Db,
  user: ObjectId,
  secretHash: string,
): Promise<AppPasswordDocument | null> {
  return appPasswordsOf(db).findOne({ user, secretHash });
}

/** Notes a sign-in with an app password: when and from which client address. */
export async function noteAppPasswordUse(db: Db, id: ObjectId, when: Date, address: string): Promise<void> {
  // a plain $set: two sign-ins racing here both write about the same value
  await appPasswordsOf(db).updateOne(
    { _id: id },
    { $set: { lastUsed: when, lastAddress: address.slice(0, 100) || null } },
  );
}
