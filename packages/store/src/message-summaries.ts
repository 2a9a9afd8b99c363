import type { Db, Document, ObjectId } from 'mongodb';
import { MESSAGE_SUMMARY_PROJECTION } from './message-views.js';

/**
 * Those of these messages that are the user's, as stored, with the summary fields
 * (MESSAGE_SUMMARY_PROJECTION), in no particular order.
 */
export async function findMessageSummaries(
  db: Db,
  user: ObjectId,
  ids: readonly ObjectId[],
): Promise<Document[]> {
  return db
    .collection('messages')
    .find({ _id: { $in: [...ids] }, user }, { projection: MESSAGE_SUMMARY_PROJECTION })
    .toArray();
}
