import type { Db, ObjectId } from 'mongodb';
import { isDuplicateKeyError } from './errors.js';

/**
 * Subscriptions that outlive their mailbox (RFC 3501 6.3.4: DELETE leaves the subscription; 6.3.6:
 * the server must not drop a name from the subscription list on its own). A name with a mailbox is
 * subscribed in the mailbox document; these documents hold only the names whose mailbox is gone,
 * from its DELETE until the client unsubscribes.
 */
const SUBSCRIPTIONS = 'subscriptions';

/** Keeps `path` subscribed after its mailbox is deleted. */
export async function keepSubscription(db: Db, user: ObjectId, path: string): Promise<void> {
  try {
    await db.collection(SUBSCRIPTIONS).insertOne({ user, path, created: new Date() });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

/** Forgets a kept subscription; true when there was one. */
export async function dropSubscription(db: Db, user: ObjectId, path: string): Promise<boolean> {
  return (await db.collection(SUBSCRIPTIONS).deleteOne({ user, path })).deletedCount > 0;
}

/** The user's kept subscriptions (names that may have no mailbox), by path. */
export async function keptSubscriptions(db: Db, user: ObjectId): Promise<string[]> {
  const documents = await db
    .collection(SUBSCRIPTIONS)
    .find({ user }, { projection: { _id: 0, path: 1 } })
    .toArray();
  return documents.map((document) => document.path as string).sort();
}
