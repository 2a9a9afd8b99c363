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
  return (await reserveStorageReading(db, user, bytes)).reserved;
}

/** Share of the quota past which the administrators are warned (QUOTA_WARNING). */
export const QUOTA_WARNING_RATIO = 0.9;

/** The user's storage as a reservation found it: for the quota warning, with no read of its own. */
export interface QuotaReading {
  /** Bytes used after the reservation (or, when refused, as they stay). */
  storageUsed: number;
  quota: number | null;
  /** True when this reservation took the user over the warning line (once per crossing), or was refused for quota. */
  warning: boolean;
}

/** As `reserveStorage`, with what the read of the counter showed (under the user lock, so exact). */
export async function reserveStorageReading(
  db: Db,
  user: ObjectId,
  bytes: number,
): Promise<{ reserved: boolean; reading: QuotaReading | null }> {
  const usage = await storageUsage(db, user);
  if (!usage) return { reserved: false, reading: null };
  if (usage.quota !== null && usage.storageUsed + bytes > usage.quota)
    return { reserved: false, reading: { ...usage, warning: true } };
  await db.collection('users').updateOne({ _id: user }, { $inc: { storageUsed: new Double(bytes) } });
  const after = usage.storageUsed + bytes;
  return {
    reserved: true,
    reading: {
      storageUsed: after,
      quota: usage.quota,
      warning: usage.quota !== null && crossesQuotaWarning(usage.storageUsed, after, usage.quota),
    },
  };
}

/** True when going from `before` to `after` bytes passes the warning line of `quota`. */
export function crossesQuotaWarning(before: number, after: number, quota: number): boolean {
  const line = quota * QUOTA_WARNING_RATIO;
  return before < line && after >= line;
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
