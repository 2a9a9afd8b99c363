import type { Readable } from 'node:stream';
import type { ObjectId } from 'mongodb';
import { removeMessagesById, storeMessage, type MailContext } from '@wildduck/mail-service';
import { recordCopyOutcome, type DeliveryAbout } from './delivery-events.js';
import { fanOut } from './fan-out.js';
import { replies, type SmtpReply } from './replies.js';

/** One copy to store: whose, where, with what on top of the shared bytes. */
export interface DeliveryTarget {
  /** Names the copy in replies (the recipient address). */
  label: string;
  user: ObjectId;
  mailbox: ObjectId;
  /** Bytes written before the shared message (trace headers, or a whole rewritten header block). */
  prefix: Buffer;
  flags?: readonly string[];
  /** How the copy came to be, kept with it (the Sent copy of a submission: see sent-copies.ts in the store). */
  origin?: 'submission';
}

/** What became of one copy. */
export type DeliveryResult =
  | { ok: true; target: DeliveryTarget; id: ObjectId; uid: number; modseq: number }
  | { ok: false; target: DeliveryTarget; reply: SmtpReply };

/** Things the delivery servers share: the mail service's context (store, bus), and a logger. */
export interface DeliveryDeps extends MailContext {
  /** Logs unexpected store failures (which the client sees only as 451). */
  onStoreError?: (error: unknown, target: DeliveryTarget) => void;
}

/**
 * Stores one incoming message as several copies (one per recipient, plus a Sent copy for
 * submission) while it streams in. Each copy is stored completely or not at all (`appendMessage`
 * inserts the document last and gives parts back on failure); identical large bodies are stored
 * once in GridFS and shared. Every stored copy is announced (by the mail service) as it is stored.
 */
export async function deliverCopies(
  deps: DeliveryDeps,
  source: Readable,
  targets: readonly DeliveryTarget[],
  about: DeliveryAbout = {},
): Promise<DeliveryResult[]> {
  const branches = fanOut(
    source,
    targets.map((target) => target.prefix),
  );
  const results = await Promise.all(
    targets.map(async (target, index): Promise<DeliveryResult> => {
      const branch = branches[index]!;
      try {
        // stored and announced by the mail service
        const outcome = await storeMessage(deps, target.user, target.mailbox, branch.stream, {
          flags: target.flags ?? [],
          ...(target.origin ? { origin: target.origin } : {}),
        });
        recordCopyOutcome(deps.adminEvents, target, outcome, about);
        if (outcome.ok) return { ok: true, target, id: outcome.id, uid: outcome.uid, modseq: outcome.modseq };
        const reply =
          outcome.code === 'OVERQUOTA'
            ? replies.overQuota(target.label)
            : outcome.code === 'TOOBIG'
              ? replies.tooBig(deps.ctx.settings.maxMessageSize)
              : replies.unknownUser(target.label);
        return { ok: false, target, reply };
      } catch (error) {
        deps.onStoreError?.(error, target);
        recordCopyOutcome(deps.adminEvents, target, { ok: false, code: 'STORE' }, about);
        return { ok: false, target, reply: replies.storeUnavailable() };
      } finally {
        branch.release();
      }
    }),
  );
  return results;
}

/**
 * Takes stored copies back (a transaction that must be all or nothing failed elsewhere): the
 * messages are expunged, their storage and parts given back, and the change announced.
 */
export async function withdrawCopies(deps: DeliveryDeps, results: readonly DeliveryResult[]): Promise<void> {
  for (const result of results) {
    if (!result.ok) continue;
    await removeMessagesById(deps, result.target.user, result.target.mailbox, [result.id]);
  }
}
