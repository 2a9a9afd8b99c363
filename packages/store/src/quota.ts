import { Double, type Db, type ObjectId } from 'mongodb';
import { toNumber } from './ids.js';

/** A user's storage use and limit in bytes; `quota` null means unlimited. */
export interface StorageUsage {
  storageUsed: number;
  quota: number | null;
}

/** Reads a user's storage use and quota. */
export async function storageUsage(db: Db, user: ObjectId): Promise<StorageUsage | null> {
  const document = await db
    .collection('users')
    .findOne({ _id: user }, { projection: { storageUsed: 1, quota: 1 } });
  if (!document) return null;
  return {
    storageUsed: toNumber(document.storageUsed),
    quota: document.quota === null || document.quota === undefined ? null : toNumber(document.quota),
  };
}

/**
 * Adds `bytes` to the user's storage counter if that stays within the quota. Call it under the
 * user lock: the read and the write are then one step for every other writer of this user.
 * Returns false (and changes nothing) when over quota.
 */
export async function reserveStorage(db: Db, user: ObjectId, bytes: number): Promise<boolean> {
  const usage = await storageUsage(db, user);
  if (!usage) return false;
  if (usage.quota !== null && usage.storageUsed + bytes > usage.quota) return false;
  await db.collection('users').updateOne({ _id: user }, { $inc: { storageUsed: new Double(bytes) } });
  return true;
}

/** Gives bytes back to the user's storage counter (expunge, failed delivery); under the user lock. */
export async function releaseStorage(db: Db, user: ObjectId, bytes: number): Promise<void> {
  if (bytes)
    await db.collection('users').updateOne({ _id: user }, { $inc: { storageUsed: new Double(-bytes) } });
}

/** True when `bytes` more would still fit (a cheap early check before reading a large message). */
export async function wouldFit(db: Db, user: ObjectId, bytes: number): Promise<boolean> {
  const usage = await storageUsage(db, user);
  return !!usage && (usage.quota === null || usage.storageUsed + bytes <= usage.quota);
}
