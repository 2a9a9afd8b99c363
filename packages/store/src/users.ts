import { Double, ObjectId, type Db } from 'mongodb';
import { users as userSpec, validateDocument } from '@wildduck/schema';
import { StoreError, UserExistsError, isDuplicateKeyError } from './errors.js';
import { hashPassword } from './passwords.js';
import { createDefaultMailboxes } from './mailboxes.js';
import { findMailboxAddress } from './mailbox-addresses.js';

/** A user document as stored. */
export interface UserDocument {
  _id: ObjectId;
  address: string;
  passwordHash: string;
  name: string | null;
  role: 'user' | 'admin';
  /** Bytes; null means unlimited. */
  quota: number | null;
  storageUsed: number | Double;
  disabled: boolean;
  created: Date;
  /** When the user's delivery filters last changed (filters-stamp.ts); absent or null: never. */
  filtersUpdated?: Date | null;
}

/** What a new account needs; the address must already be normalised (normalizeAddress). */
export interface NewUser {
  address: string;
  password: string;
  name?: string | null;
  role?: 'user' | 'admin';
  quota?: number | null;
}

/**
 * Creates an account and its default mailboxes. Either both exist afterwards or neither does:
 * the unique index on the address decides races (UserExistsError), and if the mailboxes cannot be
 * written the user document is removed again. An address of a shared mailbox (mailbox-addresses.ts)
 * is refused the same way.
 */
export async function createUser(db: Db, input: NewUser): Promise<UserDocument> {
  const user: UserDocument = {
    _id: new ObjectId(),
    address: input.address,
    passwordHash: await hashPassword(input.password),
    name: input.name ?? null,
    role: input.role ?? 'user',
    quota: input.quota ?? null,
    storageUsed: new Double(0),
    disabled: false,
    created: new Date(),
  };
  const problems = validateDocument(userSpec.validator!, user);
  if (problems.length)
    throw new StoreError('INVALID_DOCUMENT', `Invalid user document: ${problems.join('; ')}`);

  const users = db.collection<UserDocument>('users');
  try {
    await users.insertOne(user);
  } catch (error) {
    if (isDuplicateKeyError(error)) throw new UserExistsError(input.address);
    throw error;
  }
  // checked after the insert, so a mailbox address created meanwhile is seen by one side or the other
  if (await findMailboxAddress(db, input.address)) {
    await users.deleteOne({ _id: user._id });
    throw new UserExistsError(input.address, `The address ${input.address} is a shared mailbox's address`);
  }
  try {
    await createDefaultMailboxes(db, user._id);
  } catch (error) {
    await db.collection('mailboxes').deleteMany({ user: user._id });
    await db.collection('journal').deleteMany({ user: user._id });
    await users.deleteOne({ _id: user._id });
    throw error;
  }
  return user;
}

/** The account with this (normalised) address, or null. */
export async function findUserByAddress(db: Db, address: string): Promise<UserDocument | null> {
  return db.collection<UserDocument>('users').findOne({ address });
}
