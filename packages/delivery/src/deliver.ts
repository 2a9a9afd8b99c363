import type { Readable } from 'node:stream';
import type { ObjectId } from 'mongodb';
import { appendMessage, findRemovable, removeMessages, type StoreContext } from '@wildduck/store';
import type { ChangeBus } from '@wildduck/change-bus';
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

/** Things the delivery servers share. */
export interface DeliveryDeps {
  ctx: StoreContext;
  bus: ChangeBus;
  /** Logs unexpected store failures (which the client sees only as 451). */
  onStoreError?: (error: unknown, target: DeliveryTarget) => void;
}

/**
 * Stores one incoming message as several copies (one per recipient, plus a Sent copy for
 * submission) while it streams in. Each copy is stored completely or not at all (`appendMessage`
 * inserts the document last and gives parts back on failure); identical large bodies are stored
 * once in GridFS and shared. Every stored copy is announced on the change bus.
 */
export async function deliverCopies(
  deps: DeliveryDeps,
  source: Readable,
  targets: readonly DeliveryTarget[],
): Promise<DeliveryResult[]> {
  const branches = fanOut(
    source,
    targets.map((target) => target.prefix),
  );
  const results = await Promise.all(
    targets.map(async (target, index): Promise<DeliveryResult> => {
      const branch = branches[index]!;
      try {
        const outcome = await appendMessage(deps.ctx, target.user, target.mailbox, branch.stream, {
          flags: target.flags ?? [],
          ...(target.origin ? { origin: target.origin } : {}),
        });
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
        return { ok: false, target, reply: replies.storeUnavailable() };
      } finally {
        branch.release();
      }
    }),
  );
  await Promise.all(
    results.map((result) =>
      result.ok ? announce(deps.bus, result.target.user, result.target.mailbox, result.modseq) : undefined,
    ),
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
    const { user, mailbox } = result.target;
    await removeMessages(deps.ctx, user, mailbox, await findRemovable(deps.ctx.db, { _id: result.id }));
    await announce(deps.bus, user, mailbox, 0);
  }
}

async function announce(bus: ChangeBus, user: ObjectId, mailbox: ObjectId, modseq: number): Promise<void> {
  // the journal is the truth; a lost publish is caught up by the next reader, so never fail a delivery on it
  await bus
    .publish({ type: 'mailbox', user: user.toHexString(), mailbox: mailbox.toHexString(), modseq })
    .catch(() => {});
}
