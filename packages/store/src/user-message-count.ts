import type { Db, ObjectId } from 'mongodb';

/** How many messages the user has stored, counted from the messages themselves. */
export async function countUserMessages(db: Db, user: ObjectId): Promise<number> {
  return db.collection('messages').countDocuments({ user });
}
