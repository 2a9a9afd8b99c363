import { Double, type Db, type Filter, ObjectId } from 'mongodb';
import { deleteAclOfUser } from './mailbox-acl.js';
import { deleteAddressesOfUser } from './mailbox-addresses.js';
import { users as userSpec, validateDocument } from '@wildduck/schema';
import { userLock, type StoreContext } from './context.js';
import { StoreError } from './errors.js';
import { toNumber } from './ids.js';
import { countMessages } from './counters.js';
import { releaseParts } from './parts.js';
import { MESSAGE_SEARCH } from './search-index.js';
import { hashPassword } from './passwords.js';
import type { UserDocument } from './users.js';

/** What an administrator may change of an account; absent fields stay as they are. */
export interface UserChanges {
  name?: string | null;
  /** A new password (hashed here); every session of the user ends. */
  password?: string;
  role?: 'user' | 'admin';
  /** Bytes; null means unlimited. */
  quota?: number | null;
  /** true also ends every session of the user. */
  disabled?: boolean;
}

/** A user as admin views list it: the document with its number of stored messages. */
export type UserSummary = UserDocument & { messageCount: number };

/** The fields users can be listed by. */
export type UserOrderField = 'address' | 'storageUsed' | 'created';

/** One page of users. */
export interface UserPage {
  users: UserSummary[];
  /** The opaque cursor of each user in `users` (pass one as `after` for the page after it). */
  cursors: string[];
  /** Users matching the search, in all pages. */
  totalCount: number;
  hasNextPage: boolean;
}

/** Server figures for the admin console. */
export interface ServerStats {
  users: number;
  messages: number;
  /** Sum of every user's storage counter, in bytes. */
  storage: number;
  /** Messages stored per minute (by their `created` time), the last 60 minutes, oldest first. */
  deliveries: { minute: Date; count: number }[];
}

/** Messages are deleted in batches: each batch's parts are released before the next is read. */
const DELETE_BATCH = 200;

const usersOf = (db: Db) => db.collection<UserDocument>('users');

/** The account with this id, or null. */
export async function findUserById(db: Db, id: ObjectId): Promise<UserDocument | null> {
  return usersOf(db).findOne({ _id: id });
}

/**
 * Changes an account. The write runs under the user lock (FerretDB may lose a concurrent `$inc`
 * of the storage counter otherwise). A new password or `disabled: true` ends every API session of
 * the user. Returns the updated user, or null when there is no such user.
 */
export async function updateUser(
  ctx: StoreContext,
  id: ObjectId,
  changes: UserChanges,
): Promise<UserDocument | null> {
  const set: Partial<UserDocument> = {};
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.role !== undefined) set.role = changes.role;
  if (changes.quota !== undefined) set.quota = changes.quota;
  if (changes.disabled !== undefined) set.disabled = changes.disabled;
  if (changes.password !== undefined) set.passwordHash = await hashPassword(changes.password);

  const updated = await ctx.locks.run(userLock(id), async () => {
    const current = await usersOf(ctx.db).findOne({ _id: id });
    if (!current) return null;
    const next = { ...current, ...set };
    const problems = validateDocument(userSpec.validator!, next);
    if (problems.length)
      throw new StoreError('INVALID_DOCUMENT', `Invalid user document: ${problems.join('; ')}`);
    if (Object.keys(set).length) await usersOf(ctx.db).updateOne({ _id: id }, { $set: set });
    return next;
  });
  if (updated && (changes.password !== undefined || changes.disabled === true)) {
    await endUserSessions(ctx.db, id);
  }
  return updated;
}

/** Ends every API session of a user (their tokens stop working at once). */
export async function endUserSessions(db: Db, user: ObjectId): Promise<number> {
  return (await db.collection('sessions').deleteMany({ user })).deletedCount;
}

/**
 * How many messages each of these users has stored: the sum of their mailboxes' counters
 * (counters.ts), one `{user}` query each (the equality FerretDB pushes down); a mailbox from before
 * the counters is counted.
 */
export async function messageCounts(db: Db, ids: readonly ObjectId[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(ids.map((id) => [id.toHexString(), 0]));
  await Promise.all(
    ids.map(async (user) => {
      const boxes = await db
        .collection('mailboxes')
        .find({ user }, { projection: { messages: 1 } })
        .toArray();
      let total = 0;
      for (const box of boxes)
        total +=
          box.messages !== undefined
            ? toNumber(box.messages)
            : (await countMessages(db, box._id as ObjectId)).messages;
      counts.set(user.toHexString(), total);
    }),
  );
  return counts;
}

/**
 * One page of users, ordered by `orderBy` (then by id, so the order is total), optionally only
 * those whose address contains `search`. Cursors are opaque; an invalid one throws a StoreError
 * with code INVALID_CURSOR.
 */
export async function listUsers(
  db: Db,
  options: {
    search?: string | null;
    first: number;
    after?: string | null;
    orderBy?: { field: UserOrderField; descending?: boolean };
  },
): Promise<UserPage> {
  const field = options.orderBy?.field ?? 'address';
  const direction = options.orderBy?.descending ? -1 : 1;
  const filter: Filter<UserDocument> = {};
  const search = options.search?.trim().toLowerCase();
  if (search) filter.address = { $regex: escapeRegex(search) };
  const totalCount = await usersOf(db).countDocuments(filter);

  const page: Filter<UserDocument> = { ...filter };
  if (options.after) {
    const cursor = decodeCursor(options.after, field);
    const beyond = direction === 1 ? '$gt' : '$lt';
    page.$or = [
      { [field]: { [beyond]: cursor.value } },
      { [field]: cursor.value, _id: { [beyond]: cursor.id } },
    ] as Filter<UserDocument>[];
  }
  const found = await usersOf(db)
    .find(page)
    .sort({ [field]: direction, _id: direction })
    .limit(options.first + 1)
    .toArray();
  const hasNextPage = found.length > options.first;
  const pageUsers = found.slice(0, options.first);
  const counts = await messageCounts(
    db,
    pageUsers.map((user) => user._id),
  );
  return {
    users: pageUsers.map((user) => ({ ...user, messageCount: counts.get(user._id.toHexString()) ?? 0 })),
    cursors: pageUsers.map((user) => encodeCursor(field, user)),
    totalCount,
    hasNextPage,
  };
}

function encodeCursor(field: UserOrderField, user: UserDocument): string {
  const value =
    field === 'address'
      ? user.address
      : field === 'created'
        ? user.created.getTime()
        : toNumber(user.storageUsed);
  return Buffer.from(JSON.stringify([field, value, user._id.toHexString()])).toString('base64url');
}

function decodeCursor(cursor: string, field: UserOrderField): { value: unknown; id: ObjectId } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const invalid = () =>
    new StoreError('INVALID_CURSOR', 'The cursor is not one this list answered (or the order changed)');
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== field) throw invalid();
  const [, value, id] = parsed as [string, unknown, unknown];
  if (typeof id !== 'string' || !/^[0-9a-f]{24}$/.test(id)) throw invalid();
  if (field === 'address' && typeof value === 'string') return { value, id: new ObjectId(id) };
  if (field === 'created' && typeof value === 'number')
    return { value: new Date(value), id: new ObjectId(id) };
  // counters are stored as doubles: compare against a double so both sort the same way
  if (field === 'storageUsed' && typeof value === 'number')
    return { value: new Double(value), id: new ObjectId(id) };
  throw invalid();
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Deletes an account with everything it owns: sessions and access tokens, mailboxes, every
 * message (each stored part loses this user's references; a part no message refers to any more
 * is deleted), journal entries, and the user document. The account is disabled and its mailboxes
 * go first, under the user lock, so no sign-in and no delivery can add anything while it is
 * emptied; running it again finishes an interrupted deletion. Returns false for an unknown user.
 */
export async function deleteUserAndData(ctx: StoreContext, id: ObjectId): Promise<boolean> {
  const { db } = ctx;
  const exists = await ctx.locks.run(userLock(id), async () => {
    const result = await usersOf(db).updateOne({ _id: id }, { $set: { disabled: true } });
    if (result.matchedCount !== 1) return false;
    // a delivery waiting for this lock then finds no mailbox and gives its parts back itself
    await db.collection('mailboxes').deleteMany({ user: id });
    return true;
  });
  if (!exists) return false;
  await db.collection('sessions').deleteMany({ user: id });
  await db.collection('accessTokens').deleteMany({ user: id });
  await db.collection('subscriptions').deleteMany({ user: id });
  await db.collection('mailSettings').deleteMany({ _id: id });
  await db.collection('vacationReplies').deleteMany({ user: id });
  await db.collection('sieveScripts').deleteMany({ user: id });
  await db.collection('appPasswords').deleteMany({ user: id });
  await db.collection('twoFactor').deleteMany({ user: id });
  // what was shared with or by the account, and its own \Seen of mailboxes shared with it
  await deleteAclOfUser(db, id);
  await deleteAddressesOfUser(db, id);
  await db.collection('privateSeen').deleteMany({ reader: id });
  await deleteMessagesOf(ctx, id);
  await db.collection(MESSAGE_SEARCH).deleteMany({ user: id });
  await db.collection('journal').deleteMany({ user: id });
  await ctx.locks.run(userLock(id), async () => {
    await usersOf(db).deleteOne({ _id: id });
  });
  // anything a request in flight created meanwhile (it found the user before the lock)
  await db.collection('mailboxes').deleteMany({ user: id });
  await deleteMessagesOf(ctx, id);
  await db.collection(MESSAGE_SEARCH).deleteMany({ user: id });
  return true;
}

async function deleteMessagesOf(ctx: StoreContext, user: ObjectId): Promise<void> {
  const messages = ctx.db.collection('messages');
  for (;;) {
    const batch = await messages
      .find({ user }, { projection: { _id: 1, parts: 1 } })
      .limit(DELETE_BATCH)
      .toArray();
    if (!batch.length) return;
    const released: string[] = [];
    for (const message of batch) {
      // only the call that deleted the document releases its parts, so no reference is dropped twice
      const result = await messages.deleteOne({ _id: message._id });
      if (result.deletedCount === 1) released.push(...((message.parts as string[] | undefined) ?? []));
    }
    await releaseParts(ctx, released);
  }
}

/**
 * Server figures. `deliveries` counts messages by the minute their document was created (every
 * stored message: deliveries, submissions, IMAP APPENDs and copies alike), from the messages that
 * still exist: good enough for a dashboard, not an audit log.
 */
export async function serverStats(db: Db, now = new Date()): Promise<ServerStats> {
  const minute = 60_000;
  const last = Math.floor(now.getTime() / minute) * minute;
  const first = last - 59 * minute;
  const [users, messages, storageGroups, recent] = await Promise.all([
    usersOf(db).countDocuments({}),
    db.collection('messages').countDocuments({}),
    usersOf(db)
      .aggregate<{ total: unknown }>([{ $group: { _id: null, total: { $sum: '$storageUsed' } } }])
      .toArray(),
    db
      .collection('messages')
      .find({ created: { $gte: new Date(first) } }, { projection: { _id: 0, created: 1 } })
      .toArray(),
  ]);
  const counts = new Array<number>(60).fill(0);
  for (const message of recent) {
    const index = Math.floor(((message.created as Date).getTime() - first) / minute);
    if (index >= 0 && index < 60) counts[index]!++;
  }
  return {
    users,
    messages,
    storage: storageGroups.length ? toNumber(storageGroups[0]!.total) : 0,
    deliveries: counts.map((count, index) => ({ minute: new Date(first + index * minute), count })),
  };
}
