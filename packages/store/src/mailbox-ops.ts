import type { Db, ObjectId } from 'mongodb';
import { mailboxes as mailboxSpec, validateDocument } from '@wildduck/schema';
import { StoreError, isDuplicateKeyError } from './errors.js';
import { newMailboxDocument, type MailboxDocument } from './mailboxes.js';
import { recordChanges } from './journal.js';
import { toNumber } from './ids.js';
import { userLock, type StoreContext } from './context.js';
import { countMessages, ensureMailboxCounters } from './counters.js';
import type { LockManager } from './locks.js';
import { takeUidValidities } from './uid-validity.js';
import { dropSubscription } from './subscriptions.js';

/** The hierarchy separator of mailbox paths (the IMAP core uses the same). */
export const PATH_DELIMITER = '/';

/** Why a mailbox operation was refused. */
export type MailboxFailure = 'NONEXISTENT' | 'ALREADYEXISTS' | 'CANNOT' | 'USEATTR';
/** Result of a mailbox operation. */
export type MailboxOutcome = { ok: true; mailbox?: ObjectId } | { ok: false; code: MailboxFailure };

const SPECIAL_USES = new Set(['\\Archive', '\\Drafts', '\\Junk', '\\Sent', '\\Trash', '\\All', '\\Flagged']);

/** The user's mailbox at a path, or null. */
export async function findMailbox(db: Db, user: ObjectId, path: string): Promise<MailboxDocument | null> {
  return db.collection<MailboxDocument>('mailboxes').findOne({ user, path });
}

/** The user's mailbox with this SPECIAL-USE flag (`\\Sent`, `\\Junk`, ...), or null. */
export async function findSpecialUseMailbox(
  db: Db,
  user: ObjectId,
  specialUse: string,
): Promise<MailboxDocument | null> {
  return db.collection<MailboxDocument>('mailboxes').findOne({ user, specialUse });
}

/** The user's mailbox with this id, or null (never another user's). */
export async function findMailboxById(db: Db, user: ObjectId, id: ObjectId): Promise<MailboxDocument | null> {
  return db.collection<MailboxDocument>('mailboxes').findOne({ _id: id, user });
}

/**
 * A mailbox by id whoever owns it: for administrators, who act on any user's mailbox as its owner
 * (the console's access lists). Users' lookups go through findMailboxById, which names the user.
 */
export async function findMailboxForAdmin(db: Db, id: ObjectId): Promise<MailboxDocument | null> {
  return db.collection<MailboxDocument>('mailboxes').findOne({ _id: id });
}

/** Checks a path: non-empty segments, no control characters, not too deep or long. */
export function validateMailboxPath(path: string): string | undefined {
  if (!path || path.length > 1024) return 'a mailbox name must have 1 to 1024 characters';
  if (/[\x00-\x1f\x7f]/.test(path)) return 'a mailbox name cannot contain control characters';
  const segments = path.split(PATH_DELIMITER);
  if (segments.some((segment) => segment === '')) return 'a mailbox name cannot have empty levels';
  if (segments.length > 32) return 'mailboxes nest at most 32 levels deep';
  return undefined;
}

/**
 * Creates a mailbox and any missing parents. Pass `locks` wherever other writers of the user may
 * run at the same time: the new UIDVALIDITY is then taken under the user lock (uid-validity.ts).
 */
export async function createMailbox(
  db: Db,
  user: ObjectId,
  path: string,
  specialUse: string | null = null,
  locks?: LockManager,
): Promise<MailboxOutcome> {
  if (locks) return locks.run(userLock(user), () => createUnderLock(db, user, path, specialUse));
  return createUnderLock(db, user, path, specialUse);
}

async function createUnderLock(
  db: Db,
  user: ObjectId,
  path: string,
  specialUse: string | null,
): Promise<MailboxOutcome> {
  if (validateMailboxPath(path)) return { ok: false, code: 'CANNOT' };
  if (specialUse !== null && !SPECIAL_USES.has(specialUse)) return { ok: false, code: 'USEATTR' };
  if (await findMailbox(db, user, path)) return { ok: false, code: 'ALREADYEXISTS' };
  const segments = path.split(PATH_DELIMITER);
  for (let depth = 1; depth < segments.length; depth++) {
    await insertMailbox(db, user, segments.slice(0, depth).join(PATH_DELIMITER), null).catch(
      (error: unknown) => {
        if (!isDuplicateKeyError(error)) throw error;
      },
    );
  }
  try {
    const id = await insertMailbox(db, user, path, specialUse);
    return { ok: true, mailbox: id };
  } catch (error) {
    if (isDuplicateKeyError(error)) return { ok: false, code: 'ALREADYEXISTS' };
    throw error;
  }
}

async function insertMailbox(
  db: Db,
  user: ObjectId,
  path: string,
  specialUse: string | null,
): Promise<ObjectId> {
  const document = newMailboxDocument(user, path, specialUse, await takeUidValidities(db, user, 1));
  const problems = validateDocument(mailboxSpec.validator!, document);
  if (problems.length)
    throw new StoreError('INVALID_DOCUMENT', `Invalid mailbox document: ${problems.join('; ')}`);
  const { insertedId } = await db.collection<MailboxDocument>('mailboxes').insertOne(document);
  await recordChanges(db, [
    { mailbox: insertedId, user, modseq: 1, kind: 'MAILBOX_CREATED', uid: null, flags: null },
  ]);
  return insertedId;
}

/**
 * Subscribes or unsubscribes a mailbox. Unsubscribing also forgets a subscription kept after its
 * mailbox was deleted (subscriptions.ts), and succeeds when there was one.
 */
export async function setSubscribed(
  db: Db,
  user: ObjectId,
  path: string,
  subscribed: boolean,
): Promise<MailboxOutcome> {
  const result = await db.collection('mailboxes').updateOne({ user, path }, { $set: { subscribed } });
  const dropped = subscribed ? false : await dropSubscription(db, user, path);
  return result.matchedCount || dropped ? { ok: true } : { ok: false, code: 'NONEXISTENT' };
}

/**
 * Renames a mailbox and its children (`A` -> `B` also moves `A/x` to `B/x`), creating missing
 * parents of the new name. The mailbox keeps its id, UIDVALIDITY and messages. INBOX is handled by
 * the caller (its messages move to a new mailbox: RFC 3501 6.3.5).
 */
export async function renameMailbox(
  ctx: StoreContext,
  user: ObjectId,
  from: string,
  to: string,
): Promise<MailboxOutcome> {
  return ctx.locks.run(userLock(user), () => renameUnderLock(ctx.db, user, from, to));
}

async function renameUnderLock(db: Db, user: ObjectId, from: string, to: string): Promise<MailboxOutcome> {
  if (validateMailboxPath(to)) return { ok: false, code: 'CANNOT' };
  if (from === to || to.startsWith(from + PATH_DELIMITER)) return { ok: false, code: 'CANNOT' };
  const source = await findMailbox(db, user, from);
  if (!source) return { ok: false, code: 'NONEXISTENT' };
  if (await findMailbox(db, user, to)) return { ok: false, code: 'ALREADYEXISTS' };

  const collection = db.collection<MailboxDocument>('mailboxes');
  const children = await collection
    .find({ user, path: { $regex: `^${escapeRegex(from + PATH_DELIMITER)}` } })
    .toArray();
  const clash = await collection.findOne({
    user,
    path: { $in: children.map((child) => to + child.path.slice(from.length)) },
  });
  if (clash) return { ok: false, code: 'ALREADYEXISTS' };

  const segments = to.split(PATH_DELIMITER);
  for (let depth = 1; depth < segments.length; depth++) {
    await insertMailbox(db, user, segments.slice(0, depth).join(PATH_DELIMITER), null).catch(
      (error: unknown) => {
        if (!isDuplicateKeyError(error)) throw error;
      },
    );
  }
  try {
    await collection.updateOne({ _id: source._id }, { $set: { path: to } });
  } catch (error) {
    if (isDuplicateKeyError(error)) return { ok: false, code: 'ALREADYEXISTS' };
    throw error;
  }
  for (const child of children) {
    await collection.updateOne({ _id: child._id }, { $set: { path: to + child.path.slice(from.length) } });
  }
  await recordChanges(
    db,
    [source, ...children].map((box) => ({
      mailbox: box._id!,
      user,
      modseq: 0,
      kind: 'MAILBOX_RENAMED' as const,
      uid: null,
      flags: null,
    })),
  );
  return { ok: true, mailbox: source._id! };
}

/** Counters for STATUS. */
export interface MailboxCounters {
  messages: number;
  unseen: number;
  uidNext: number;
  uidValidity: number;
  highestModseq: number;
  /** Bytes of all messages in the mailbox. */
  size: number;
}

/**
 * A mailbox's STATUS figures, read from its document: the message counters are kept there by every
 * write (counters.ts), so nothing is counted. A mailbox stored before the counters existed gets them
 * computed once: stored under the owner's lock when `locks` is given, else only counted this time.
 */
export async function mailboxCounters(
  db: Db,
  mailbox: MailboxDocument,
  locks?: LockManager,
): Promise<MailboxCounters> {
  let box = mailbox;
  let counts: { messages: number; unseen: number; size: number };
  if (box.messages === undefined && locks) {
    const stored = await locks.run(userLock(box.user), async () => {
      if (!(await ensureMailboxCounters(db, box._id!))) return null;
      return db.collection<MailboxDocument>('mailboxes').findOne({ _id: box._id!, user: box.user });
    });
    if (stored) box = stored;
  }
  if (box.messages !== undefined) {
    counts = {
      messages: toNumber(box.messages),
      unseen: toNumber(box.unseen ?? 0),
      size: toNumber(box.size ?? 0),
    };
  } else {
    counts = await countMessages(db, box._id!);
  }
  return {
    ...counts,
    uidNext: toNumber(box.uidNext),
    uidValidity: toNumber(box.uidValidity),
    highestModseq: toNumber(box.highestModseq),
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
