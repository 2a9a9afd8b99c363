/**
 * What the administrators' feed hears of deliveries: one DELIVERY per stored copy (a Sent copy of
 * a submission is not a delivery), DELIVERY_FAILED per refused copy, and QUOTA_WARNING when a copy
 * took its user over 90 % of the quota or was refused for quota. The facts come from the store's
 * answer (the quota reading is the one the reservation made): no store round trip of its own, and
 * the recorder writes later (mail-service admin-events/recorder.ts).
 */
import type { AppendOutcome } from '@wildduck/store';
import type { AdminEventSink } from '@wildduck/mail-service';
import type { DeliveryTarget } from './deliver.js';
import { sieveHeaders } from './sieve-message.js';

/** About the message, for the feed's lines. */
export interface DeliveryAbout {
  /** The envelope sender. */
  sender?: string;
  subject?: string;
}

/** The Subject of a header block (for the feed), or undefined. */
export function subjectOf(header: Buffer): string | undefined {
  return sieveHeaders(header)
    .find((field) => field.name.toLowerCase() === 'subject')
    ?.value.trim();
}

/** Records what became of one copy. */
export function recordCopyOutcome(
  events: AdminEventSink | undefined,
  target: DeliveryTarget,
  outcome: AppendOutcome | { ok: false; code: 'STORE' },
  about: DeliveryAbout,
): void {
  if (!events || target.origin === 'submission') return;
  const common = { user: target.user, address: target.label, remote: about.sender ?? null };
  if (outcome.ok) {
    events.record({ ...common, type: 'DELIVERY', detail: about.subject ?? null, size: outcome.size });
  } else {
    const reason =
      outcome.code === 'OVERQUOTA'
        ? 'over quota'
        : outcome.code === 'TOOBIG'
          ? 'message too big'
          : outcome.code === 'STORE'
            ? 'the store failed'
            : 'no such mailbox';
    events.record({ ...common, type: 'DELIVERY_FAILED', detail: reason });
  }
  const quota = 'quota' in outcome ? outcome.quota : undefined;
  if (quota?.warning)
    events.record({
      ...common,
      type: 'QUOTA_WARNING',
      detail: outcome.ok ? 'over 90 % of the quota' : 'a delivery was refused: over quota',
      storageUsed: quota.storageUsed,
      quota: quota.quota,
    });
}

/** Records a recipient whose filters refused the message, or who could not be delivered to. */
export function recordRecipientFailure(
  events: AdminEventSink | undefined,
  recipient: { user: DeliveryTarget['user']; address: string },
  reason: string,
  about: DeliveryAbout,
): void {
  events?.record({
    type: 'DELIVERY_FAILED',
    user: recipient.user,
    address: recipient.address,
    remote: about.sender ?? null,
    detail: reason,
  });
}
