import type { Db, ObjectId } from 'mongodb';
import type { UserDocument } from './users.js';

/** What signing a request in needs to know of its user. */
export type UserStanding = Pick<UserDocument, '_id' | 'address' | 'role' | 'disabled'>;

/** The address, role and disabled flag of a user, or null when there is no such user. */
export async function findUserStanding(db: Db, id: ObjectId): Promise<UserStanding | null> {
  return db
    .collection<UserDocument>('users')
    .findOne({ _id: id }, { projection: { address: 1, role: 1, disabled: 1 } });
}
