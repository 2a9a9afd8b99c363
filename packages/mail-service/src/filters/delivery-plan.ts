/**
 * What to do with one message for one recipient, decided by running the recipient's filters: the
 * copies to store (mailbox path, flags, whether a missing mailbox may be created), the addresses
 * to redirect to, a rejection, a vacation reply. No I/O: the delivery code carries the plan out.
 */
import { runSieve, SieveRuntimeError, type SieveAction, type SieveMessage } from '@wildduck/sieve';
import type { UserFilters } from './user-filters.js';

/** One copy for the recipient: `INBOX` for keep. */
export interface FilingCopy {
  mailbox: string;
  flags: string[];
  /** RFC 5490 `:create`: a missing mailbox is made; otherwise the copy goes to INBOX. */
  create: boolean;
}

export type VacationReply = Extract<SieveAction, { type: 'vacation' }>;

export interface DeliveryPlan {
  /** Empty: nothing is stored (discard, reject, or a redirect without a copy). */
  copies: FilingCopy[];
  redirects: string[];
  reject: { reason: string; extended: boolean } | null;
  vacation: VacationReply | null;
  /** A filter failed at run time: the plan is the implicit keep, and this is recorded for the user. */
  failure: { script: string; message: string } | null;
}

/** The plan of a recipient without filters (and of one whose filters failed). */
export function keepPlan(failure: DeliveryPlan['failure'] = null): DeliveryPlan {
  return {
    copies: [{ mailbox: 'INBOX', flags: [], create: false }],
    redirects: [],
    reject: null,
    vacation: null,
    failure,
  };
}

/**
 * Runs the filters (the settings' script first, then the user's) as one Sieve run, so `stop` in
 * the first ends both and a `fileinto` in either cancels the implicit keep. A run-time failure
 * (RFC 5228 2.10.6) gives the implicit keep and names the failure.
 */
export function planDelivery(
  filters: UserFilters,
  message: SieveMessage,
  options: { userAddresses: string[]; existingMailboxes?: ReadonlySet<string> },
): DeliveryPlan {
  if (filters.broken) return keepPlan(filters.broken);
  let actions: SieveAction[];
  try {
    actions = runSieve(
      filters.scripts.map((entry) => entry.script),
      message,
      {
        userAddresses: options.userAddresses,
        ...(options.existingMailboxes ? { existingMailboxes: options.existingMailboxes } : {}),
      },
    ).actions;
  } catch (error) {
    // a SieveRuntimeError (RFC 5228 2.10.6), or a fault of the interpreter: either way the message
    // is kept in INBOX rather than lost, and the user is told
    const message = error instanceof SieveRuntimeError ? error.message : `filter failed: ${String(error)}`;
    const failed = error instanceof SieveRuntimeError ? error.scriptIndex : undefined;
    const script =
      failed !== undefined && filters.scripts[failed]
        ? filters.scripts[failed]!.name
        : filters.scripts.map((entry) => entry.name).join(', ');
    return keepPlan({ script, message });
  }
  const plan: DeliveryPlan = { copies: [], redirects: [], reject: null, vacation: null, failure: null };
  for (const action of actions) {
    switch (action.type) {
      case 'keep':
        addCopy(plan, { mailbox: 'INBOX', flags: action.flags, create: false });
        break;
      case 'fileinto':
        addCopy(plan, { mailbox: action.mailbox, flags: action.flags, create: action.create });
        break;
      case 'redirect':
        if (!plan.redirects.includes(action.address.toLowerCase()))
          plan.redirects.push(action.address.toLowerCase());
        break;
      case 'reject':
        plan.reject = { reason: action.reason, extended: action.extended };
        break;
      case 'vacation':
        plan.vacation = action;
        break;
      case 'discard':
        break;
    }
  }
  return plan;
}

/** One copy per mailbox (RFC 5228 4.1: filing twice into one mailbox stores one copy); flags joined. */
function addCopy(plan: DeliveryPlan, copy: FilingCopy): void {
  const key = copy.mailbox.toUpperCase() === 'INBOX' ? 'INBOX' : copy.mailbox;
  const same = plan.copies.find((existing) => existing.mailbox === key);
  if (!same) {
    plan.copies.push({ ...copy, mailbox: key, flags: [...new Set(copy.flags)] });
    return;
  }
  for (const flag of copy.flags) if (!same.flags.includes(flag)) same.flags.push(flag);
  same.create ||= copy.create;
}
