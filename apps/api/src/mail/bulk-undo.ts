/**
 * Undo of a bulk move (MOVE, DELETE to Trash, REPORT_SPAM, ARCHIVE): what was moved where is kept
 * for a minute under a random token, in Redis so any API instance can undo it, bound to the user.
 * Undoing moves the messages back; one moved on since (a new mailbox or a new UID) is left alone.
 * Moves between two owners' mailboxes are never recorded (bulk-actions.ts gives no token for them):
 * the messages were stored again under new ids, and moving them back would lose the owner's \Seen.
 */
import { randomBytes } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { findMailboxById } from '@wildduck/store';
import { reachableById } from './mailbox-access.js';
import { transferMessages } from '@wildduck/mail-service';
import { MemoryExpiringRecords, type ExpiringRecords } from '@wildduck/coordination';
import { invalidInput } from '../failures.js';
import type { ApiServices } from '../services.js';
import { mailContextOf, type MailAccount } from './mail-account.js';

/** How long a bulk move can be undone (the web offers it for a few seconds only). */
export const UNDO_SECONDS = 60;
/** Messages moved back per mail-service call. */
const UNDO_BATCH = 500;

/** Messages moved from one mailbox into another, under their UIDs in the target. */
export interface UndoMove {
  from: string;
  to: string;
  uids: number[];
}

interface UndoRecord {
  user: string;
  moves: UndoMove[];
}

/** The process's own records when the services have none (a single node without Redis). */
const localRecords = new MemoryExpiringRecords();

function recordsOf(services: ApiServices): ExpiringRecords {
  return services.bulkUndo ?? localRecords;
}

/** Keeps what undoing these moves needs; the token to undo them with. */
export async function rememberMoves(
  services: ApiServices,
  user: MailAccount,
  moves: readonly UndoMove[],
): Promise<string> {
  const token = randomBytes(18).toString('base64url');
  const record: UndoRecord = { user: user.userId.toHexString(), moves: [...moves] };
  await recordsOf(services).put(token, JSON.stringify(record), UNDO_SECONDS);
  return token;
}

/** Moves the messages of an undo token back where they came from; how many went back. */
export async function undoMoves(services: ApiServices, user: MailAccount, token: string): Promise<number> {
  const gone = () =>
    invalidInput(
      `This undo is no longer possible: it lasts ${UNDO_SECONDS} seconds and can be used once`,
      'token',
    );
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(token)) throw gone();
  const records = recordsOf(services);
  const kept = await records.peek(token);
  // another user's token does nothing, and is left for its owner
  if (!kept || (JSON.parse(kept) as UndoRecord).user !== user.userId.toHexString()) throw gone();
  const taken = await records.take(token);
  if (!taken) throw gone();
  const record = JSON.parse(taken) as UndoRecord;
  let count = 0;
  for (const move of record.moves) count += await moveBack(services, user, move);
  return count;
}

async function moveBack(services: ApiServices, user: MailAccount, move: UndoMove): Promise<number> {
  const [to, from] = await Promise.all([
    reachableById(services, user, new ObjectId(move.to)),
    reachableById(services, user, new ObjectId(move.from)),
  ]);
  // a mailbox deleted (or taken back by its owner) since: nowhere to put them back, or nothing to
  // take them from
  if (!to || !from || !to.owner.equals(from.owner)) return 0;
  const [now, before] = await Promise.all([
    findMailboxById(services.db, to.owner, to.mailbox._id!),
    findMailboxById(services.db, from.owner, from.mailbox._id!),
  ]);
  if (!now || !before) return 0;
  const mail = mailContextOf(services);
  const owner = { id: to.owner, address: to.ownerAddress };
  let count = 0;
  for (let start = 0; start < move.uids.length; start += UNDO_BATCH) {
    // UIDs are never reused: a message no longer under its UID there has moved on and stays put
    const outcome = await transferMessages(
      mail,
      owner,
      'move',
      now,
      move.uids.slice(start, start + UNDO_BATCH),
      before,
    );
    if (outcome.ok) count += outcome.mapping.length;
  }
  return count;
}
