import { randomUUID } from 'node:crypto';
import { Binary, type Db, type ObjectId } from 'mongodb';
import { mailOutbox as outboxSpec, validateDocument } from '@wildduck/schema';
import { StoreError } from './errors.js';
import { toNumber } from './ids.js';
import {
  claimDueRows,
  completeLeasedRow,
  retryLeasedRowLater,
  sweepClaimsBefore,
  type LeasedOutbox,
} from './leased-claims.js';
import { finishWrite, onlyDuplicates } from './write-completion.js';

/**
 * The outgoing-mail outbox of delivery filters (collection `mailOutbox`, claims in
 * `mailOutboxClaims`): redirects and forwarding beside a kept copy, vacation replies and rejection
 * notices, written before the delivery is answered so that neither a smarthost that is down nor a
 * process that stops loses them. A worker in the mail server claims due entries, sends them and
 * deletes them (`@wildduck/delivery`'s MailOutboxSender).
 *
 * Shaped like the webhook outbox for FerretDB 1.24 (../shared/ferretdb-notes.md): sent and
 * given-up entries are deleted, so what the workers poll stays small; every write names `_id`;
 * and a claim is the insert of a document with a unique `_id` (`<entry>:<claim number>`), since
 * FerretDB's `findOneAndUpdate` is not atomic under concurrency: exactly one worker wins each claim.
 */

/** What a filter asked for: which decides the envelope, the way it goes and whom a failure is told. */
export type MailOutboxKind = 'redirect' | 'vacation' | 'rejection-notice';

/** What to send: a small composed message, or one of the user's stored copies. */
export type MailOutboxContent =
  | { message: Buffer }
  | {
      /** The user's stored copies of the message (any one will do: the first still there is read). */
      sourceMessages: readonly ObjectId[];
      /** Bytes of the stored copy left out at its start. */
      skip: number;
      /** Bytes sent before the stored copy's (may be empty). */
      prefix?: Buffer;
    };

/** One message to send. */
export interface NewMailOutboxEntry {
  kind: MailOutboxKind;
  /** Whose filter asked for it (and whose stored copy `sourceMessages` names). */
  user: ObjectId;
  /** The envelope sender; '' is the null sender. */
  from: string;
  to: readonly string[];
  content: MailOutboxContent;
}

/** An entry a worker has claimed: it may send it until `leaseUntil`. */
export interface ClaimedMailOutboxEntry extends NewMailOutboxEntry {
  id: string;
  /** Attempts including this one. */
  attempts: number;
  /** Which claim this is; outcomes are recorded against it. */
  claim: number;
  leaseUntil: Date;
  created: Date;
  /** The error of the previous attempt, if any. */
  lastError: string | null;
}

const OUTBOX = 'mailOutbox';
/** The claims of `mailOutboxClaims` name their entry in `entry`. */
const LEASED: LeasedOutbox = { outbox: OUTBOX, claims: 'mailOutboxClaims', rowField: 'entry' };

/** How long a claim left by a worker that died stays before the sweep deletes it. */
const CLAIM_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** A document of `mailOutbox` (see prisma-free-schema/src/collections/mail-outbox.ts). */
interface OutboxDocument {
  _id: string;
  kind: MailOutboxKind;
  user: ObjectId;
  from: string;
  to: string[];
  message: Binary | null;
  sourceMessages: ObjectId[] | null;
  skip: number;
  prefix: Binary | null;
  attempts: number;
  claims: number;
  nextAttemptAt: Date;
  claimedBy: string | null;
  leaseUntil: Date | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  created: Date;
}

/**
 * Writes entries, due now, in one insert; answers their ids. Once it resolves they survive a
 * restart. Bad input (an empty recipient list, a document the schema refuses) throws a
 * StoreError and writes nothing.
 */
export async function enqueueMailOutbox(
  db: Db,
  entries: readonly NewMailOutboxEntry[],
  now = new Date(),
): Promise<string[]> {
  if (!entries.length) return [];
  const documents: OutboxDocument[] = entries.map((entry) => {
    const { content } = entry;
    const composed = 'message' in content;
    return {
      _id: randomUUID(),
      kind: entry.kind,
      user: entry.user,
      from: entry.from,
      to: [...entry.to],
      message: composed ? new Binary(content.message) : null,
      sourceMessages: composed ? null : [...content.sourceMessages],
      skip: composed ? 0 : content.skip,
      prefix: !composed && content.prefix?.length ? new Binary(content.prefix) : null,
      attempts: 0,
      claims: 0,
      nextAttemptAt: now,
      claimedBy: null,
      leaseUntil: null,
      lastError: null,
      lastAttemptAt: null,
      created: now,
    };
  });
  for (const document of documents) {
    const problems = validateDocument(outboxSpec.validator!, document);
    if (!document.to.length) problems.push('to: no recipient');
    if (!document.message && !document.sourceMessages?.length) problems.push('nothing to send');
    if (problems.length)
      throw new StoreError('INVALID_DOCUMENT', `Invalid mail outbox entry: ${problems.join('; ')}`);
  }
  // each row carries its own _id: a retried insert whose first try was applied meets duplicates,
  // which means done, never a second message
  await finishWrite(async () => {
    try {
      await db.collection<OutboxDocument>(OUTBOX).insertMany(documents, { ordered: false });
    } catch (error) {
      if (!onlyDuplicates(error)) throw error;
    }
  });
  return documents.map((document) => document._id);
}

/**
 * Claims up to `limit` due entries for `worker` until `now + leaseMs`, oldest due first. An entry
 * is claimed by inserting its next claim document: a worker that loses the insert skips it. A
 * claimed entry is due again at the end of its lease, so one whose worker died is taken up by
 * another after `leaseMs`.
 */
export async function claimMailOutbox(
  db: Db,
  options: { worker: string; limit: number; leaseMs: number; now?: Date },
): Promise<ClaimedMailOutboxEntry[]> {
  const now = options.now ?? new Date();
  // every row is pending (sent and given-up ones are deleted): the due time is checked in Go on
  // FerretDB over a small table, by the index on MongoDB
  const query = { due: { nextAttemptAt: { $lte: now } }, findOptions: { promoteBuffers: true } };
  return claimDueRows(db, LEASED, query, { ...options, now }, (row: OutboxDocument, lease) => ({
    ...toEntry(row),
    id: row._id,
    ...lease,
  }));
}

/** Sent, or given up (the failure recorded elsewhere): the entry and its claims are deleted. */
export async function completeMailOutboxEntry(db: Db, id: string): Promise<void> {
  await completeLeasedRow(db, LEASED, id);
}

/**
 * The attempt failed for now: due again at `nextAttemptAt`. Recorded only while `claim` is still
 * the latest claim (a worker whose lease ran out does not overwrite its successor).
 */
export async function retryMailOutboxEntryLater(
  db: Db,
  entry: { id: string; claim: number },
  nextAttemptAt: Date,
  lastError: string,
  now = new Date(),
): Promise<boolean> {
  return retryLeasedRowLater(db, LEASED, entry, nextAttemptAt, lastError.slice(0, 2000), now);
}

/** Deletes claims left behind by a worker that died between deleting an entry and its claims. */
export async function sweepMailOutboxClaims(db: Db, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - CLAIM_RETENTION_MS);
  return sweepClaimsBefore(db, LEASED, cutoff);
}

/** How many entries wait to be sent (metrics, tests). */
export async function countMailOutbox(db: Db): Promise<number> {
  return db.collection<OutboxDocument>(OUTBOX).countDocuments({});
}

function toEntry(row: OutboxDocument): NewMailOutboxEntry & { created: Date; lastError: string | null } {
  const bytes = (value: unknown): Buffer =>
    Buffer.isBuffer(value) ? value : value instanceof Binary ? Buffer.from(value.buffer) : Buffer.alloc(0);
  const content: MailOutboxContent = row.message
    ? { message: bytes(row.message) }
    : {
        sourceMessages: row.sourceMessages ?? [],
        skip: toNumber(row.skip),
        ...(row.prefix ? { prefix: bytes(row.prefix) } : {}),
      };
  return {
    kind: row.kind,
    user: row.user,
    from: String(row.from),
    to: row.to.map(String),
    content,
    created: row.created,
    lastError: typeof row.lastError === 'string' ? row.lastError : null,
  };
}
