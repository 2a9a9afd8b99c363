/**
 * Addresses of shared mailboxes (team inboxes): mail to such an address is delivered into one
 * mailbox, owned by one user, whose filters run on it and whose quota it is charged to. An address
 * is a user's or a mailbox's, never both: `mailboxAddresses` and `users` each have a unique index on
 * `address`, and each side checks the other after its insert and takes its own insert back when it
 * finds one, so of two racing creations at least one sees the other (both may be refused; neither
 * can leave the address twice). Every lookup is `address`, `user` or `mailbox` equality, which
 * FerretDB 1.24 pushes down.
 */
import type { Db, ObjectId } from 'mongodb';
import { mailboxAddresses as addressSpec, validateDocument } from '@wildduck/schema';
import { normalizeAddress } from './address.js';
import { AddressTakenError, StoreError, isDuplicateKeyError } from './errors.js';

/** One stored mailbox address. */
export interface MailboxAddressDocument {
  _id?: ObjectId;
  /** Lower-cased (normalizeAddress). */
  address: string;
  /** The mailbox's owner. */
  user: ObjectId;
  mailbox: ObjectId;
  created: Date;
}

function collection(db: Db) {
  return db.collection<MailboxAddressDocument>('mailboxAddresses');
}

/** True when a user has this (normalised) address. */
async function isUserAddress(db: Db, address: string): Promise<boolean> {
  return (await db.collection('users').findOne({ address }, { projection: { _id: 1 } })) !== null;
}

/** The owner of the mailbox with this id, or null when there is no such mailbox. */
async function ownerOfMailbox(db: Db, mailbox: ObjectId): Promise<ObjectId | null> {
  const found = await db.collection('mailboxes').findOne({ _id: mailbox }, { projection: { user: 1 } });
  return (found?.user as ObjectId | undefined) ?? null;
}

/**
 * Gives a mailbox an address. Throws StoreError `INVALID_ADDRESS` (not an address we accept),
 * `MAILBOX_NOT_FOUND` (no such mailbox, or it was deleted meanwhile), or AddressTakenError (a user's
 * address or another mailbox's).
 */
export async function createMailboxAddress(
  db: Db,
  input: { address: string; mailbox: ObjectId },
): Promise<MailboxAddressDocument> {
  const address = normalizeAddress(input.address);
  if (!address) throw new StoreError('INVALID_ADDRESS', `Not a valid email address: ${input.address}`);
  const owner = await ownerOfMailbox(db, input.mailbox);
  if (!owner) throw new StoreError('MAILBOX_NOT_FOUND', 'No such mailbox');
  if (await isUserAddress(db, address)) throw new AddressTakenError(address, 'a user');

  const document: MailboxAddressDocument = {
    address,
    user: owner,
    mailbox: input.mailbox,
    created: new Date(),
  };
  const problems = validateDocument(addressSpec.validator!, document);
  if (problems.length)
    throw new StoreError('INVALID_DOCUMENT', `Invalid mailbox address: ${problems.join('; ')}`);
  let inserted: ObjectId;
  try {
    inserted = (await collection(db).insertOne(document)).insertedId;
  } catch (error) {
    if (isDuplicateKeyError(error)) throw new AddressTakenError(address, 'another mailbox');
    throw error;
  }
  // a user created with the address, or the mailbox deleted, since the checks above: take it back
  // (the deletion of a mailbox removes its addresses after the mailbox, so one of us sees the other)
  if (await isUserAddress(db, address)) {
    await collection(db).deleteOne({ _id: inserted });
    throw new AddressTakenError(address, 'a user');
  }
  if (!(await ownerOfMailbox(db, input.mailbox))) {
    await collection(db).deleteOne({ _id: inserted });
    throw new StoreError('MAILBOX_NOT_FOUND', 'No such mailbox');
  }
  return { ...document, _id: inserted };
}

/** The mailbox address with this (normalised) address, or null. */
export async function findMailboxAddress(db: Db, address: string): Promise<MailboxAddressDocument | null> {
  return collection(db).findOne({ address });
}

/** The addresses of every mailbox a user owns, in address order. */
export async function listMailboxAddressesOfUser(db: Db, user: ObjectId): Promise<MailboxAddressDocument[]> {
  return sorted(await collection(db).find({ user }).toArray());
}

/** The addresses of one mailbox, in address order. */
export async function listMailboxAddressesOfMailbox(
  db: Db,
  mailbox: ObjectId,
): Promise<MailboxAddressDocument[]> {
  return sorted(await collection(db).find({ mailbox }).toArray());
}

/** Removes a mailbox address; false when there was none. */
export async function deleteMailboxAddress(db: Db, address: string): Promise<boolean> {
  const normalized = normalizeAddress(address);
  if (!normalized) return false;
  return (await collection(db).deleteOne({ address: normalized })).deletedCount === 1;
}

/** Removes every address of a mailbox (the mailbox was deleted). */
export async function deleteAddressesOfMailbox(db: Db, mailbox: ObjectId): Promise<void> {
  await collection(db).deleteMany({ mailbox });
}

/** Removes every address of the mailboxes a user owns (the account was deleted). */
export async function deleteAddressesOfUser(db: Db, user: ObjectId): Promise<void> {
  await collection(db).deleteMany({ user });
}

/** Sorted here: FerretDB sorts in Go anyway, and a user has few. */
function sorted(documents: MailboxAddressDocument[]): MailboxAddressDocument[] {
  return documents.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}
