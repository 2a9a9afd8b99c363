/**
 * Delivery through the recipients' Sieve filters (LMTP, the SMTP maildrop, and the local
 * recipients of submission and GraphQL send). Per recipient the filters decide, from the header
 * block as it streams in, which copies to store (keep, fileinto with imap4flags), whether to
 * redirect, reject or send a vacation reply; the message is then streamed once into every copy.
 *
 * A recipient without filters costs nothing more than before: its user document's stamp says so
 * (mail-service user-filters.ts). The body is spooled to a temporary file only when a filter tests
 * the size or the body (they must see it all before anything is filed) or redirects without keeping
 * a copy (sent before the reply); otherwise nothing but the
 * header block is ever in memory. Redirects beside a kept copy, vacation replies and rejection
 * notices go to the store's outgoing-mail outbox (`followUp`, before the client is answered) and
 * are sent from there with retries (mail-outbox-sender.ts); redirects beside a copy read the stored
 * copy again, so only a redirect that keeps no copy needs the spool.
 */
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import {
  keepPlan,
  loadUserFilters,
  mailboxForFiling,
  noteFilterFailure,
  planDelivery,
  type DeliveryPlan,
  type SieveHeaderField,
  type UserFilters,
} from '@wildduck/mail-service';
import type { ObjectId } from 'mongodb';
import { listMailboxes } from '@wildduck/store';
import { deliverCopies, type DeliveryResult, type DeliveryTarget } from './deliver.js';
import { recordRecipientFailure, subjectOf, type DeliveryAbout } from './delivery-events.js';
import type { NewMailOutboxEntry } from '@wildduck/store';
import {
  enqueueFollowUps,
  redirectEntry,
  rejectionNoticeEntry,
  sendRedirect,
  vacationEntry,
  type FilterDeps,
} from './filter-followups.js';
import { MessageSpool } from './message-spool.js';
import type { LocalRecipient } from './recipients.js';
import { replies, type SmtpReply } from './replies.js';
import { sieveHeaders, sieveMessage } from './sieve-message.js';

/** More Received headers than this is a mail loop (RFC 5321 6.3 suggests 100; forwarding needs fewer). */
const MAX_RECEIVED_FOR_REDIRECT = 30;

/** One recipient (one account) of the message, with the trace headers its copies start with. */
export interface FilteredRecipient {
  recipient: LocalRecipient;
  /** Return-Path, Delivered-To and Received for this recipient, written above the header block. */
  trace: Buffer;
}

/** What became of one recipient. */
export type RecipientOutcome =
  /** Its copies (one or more, each ok or not). */
  | { kind: 'stored'; recipient: LocalRecipient; results: DeliveryResult[] }
  /** Nothing to store (discard, or redirected without a copy). */
  | { kind: 'discarded'; recipient: LocalRecipient }
  /** Its filter rejected the message (RFC 5429): refuse it, or send a notice (`followUp`). */
  | { kind: 'rejected'; recipient: LocalRecipient; reason: string; extended: boolean }
  /** Its filters could not be read or a mailbox not made: try again later (451). */
  | { kind: 'unavailable'; recipient: LocalRecipient; reply: SmtpReply };

export interface FilteredDelivery {
  /** In the order of the recipients given. */
  outcomes: RecipientOutcome[];
  /** The results of the extra targets (the Sent copy of a submission), in their order. */
  extra: DeliveryResult[];
  /** Every result, for `withdrawCopies` when the transaction is refused after all. */
  results: DeliveryResult[];
  /**
   * Once the copies are kept for good, before the client is answered: writes redirects, vacation
   * replies and rejection notices for `notices` (recipients the protocol could not refuse alone) to
   * the outgoing-mail outbox in one insert, and records failures for the users. No store round trip
   * when there is none of these. Never throws. Removes the spool.
   */
  followUp(notices?: readonly LocalRecipient[]): Promise<void>;
  /** Removes the spool without doing anything else (the transaction was refused). */
  dispose(): Promise<void>;
}

interface Planned {
  input: FilteredRecipient;
  filters: UserFilters | null;
  plan: DeliveryPlan;
  headers: SieveHeaderField[];
  outcome?: RecipientOutcome;
  /** Indexes of its copies among the targets. */
  targets: number[];
}

/**
 * Runs the filters of every recipient and stores the copies they ask for, streaming `body` once.
 * `header` is the header block as received (with the blank line that ends it); each recipient's
 * copies are its trace headers, `header`, then the body; extra targets carry their whole header
 * block in their prefix and get the body only.
 */
export async function deliverFiltered(
  deps: FilterDeps,
  message: {
    envelopeSender: string;
    header: Buffer;
    body: Readable;
    recipients: readonly FilteredRecipient[];
    extraTargets?: readonly DeliveryTarget[];
  },
): Promise<FilteredDelivery> {
  const { header, body } = message;
  const now = new Date();
  const loaded = await Promise.all(
    message.recipients.map(async (input) => {
      try {
        return {
          input,
          filters: await loadUserFilters(
            deps.ctx.db,
            input.recipient.user,
            input.recipient.filtersUpdated,
            now,
          ),
        };
      } catch (error) {
        deps.logger?.warn({ err: error, user: input.recipient.account }, 'reading the filters failed');
        return { input, filters: undefined };
      }
    }),
  );

  let spool: MessageSpool | null = null;
  try {
    if (loaded.some(({ filters }) => filters && (filters.needs.body || filters.needs.size)))
      spool = await MessageSpool.write(body);

    const planned: Planned[] = [];
    for (const { input, filters } of loaded) {
      const entry: Planned = { input, filters: filters ?? null, plan: keepPlan(), headers: [], targets: [] };
      planned.push(entry);
      if (filters === undefined) {
        entry.outcome = {
          kind: 'unavailable',
          recipient: input.recipient,
          reply: replies.storeUnavailable(),
        };
        continue;
      }
      if (!filters) continue;
      const withTrace = Buffer.concat([input.trace, header]);
      const sieve = await sieveMessage({
        header: withTrace,
        envelope: { from: message.envelopeSender, to: input.recipient.address },
        spool,
        withBody: filters.needs.body,
      });
      entry.headers = sieve.headers;
      entry.plan = planDelivery(filters, sieve, {
        userAddresses: [...new Set([input.recipient.account, input.recipient.address.toLowerCase()])],
        // one read, and only for a script that tests mailboxexists
        ...(filters.needs.mailboxes
          ? { existingMailboxes: await mailboxPaths(deps, input.recipient.user) }
          : {}),
      });
      // a team address is not the person: the owner's vacation reply does not answer mail to it
      // (RFC 5230 4.5 lets an implementation hold back a reply it should not send)
      if (input.recipient.kind === 'mailbox') entry.plan.vacation = null;
      guardRedirects(deps, entry, header);
      if (entry.plan.reject)
        entry.outcome = { kind: 'rejected', recipient: input.recipient, ...entry.plan.reject };
    }
    if (
      !spool &&
      planned.some((entry) => !entry.outcome && entry.plan.redirects.length && !entry.plan.copies.length)
    )
      spool = await MessageSpool.write(body);
    if (spool) await redirectWithoutCopy(deps, planned, header, spool);

    const targets: DeliveryTarget[] = [];
    for (const entry of planned) {
      if (entry.outcome) continue;
      try {
        await addTargets(deps, entry, header, targets);
      } catch (error) {
        deps.logger?.warn(
          { err: error, user: entry.input.recipient.account },
          'filing a filtered copy failed',
        );
        entry.outcome = {
          kind: 'unavailable',
          recipient: entry.input.recipient,
          reply: replies.storeUnavailable(),
        };
        entry.targets = [];
      }
    }
    const extraTargets = message.extraTargets ?? [];
    const live = planned.flatMap((entry) =>
      entry.outcome ? [] : entry.targets.map((index) => targets[index]!),
    );
    const all = [...extraTargets, ...live];
    // the feed's words about the message: parsed only when a feed listens
    const about: DeliveryAbout = deps.adminEvents
      ? { sender: message.envelopeSender, ...optional('subject', subjectOf(header)) }
      : {};
    for (const entry of planned) {
      const outcome = entry.outcome;
      if (outcome?.kind === 'rejected' || outcome?.kind === 'unavailable')
        recordRecipientFailure(
          deps.adminEvents,
          outcome.recipient,
          outcome.kind === 'rejected' ? `rejected by a filter: ${outcome.reason}` : 'filters unavailable',
          about,
        );
    }
    let results: DeliveryResult[] = [];
    if (all.length) results = await deliverCopies(deps, spool ? spool.open() : body, all, about);
    else if (!spool) {
      // nothing to store: the client still sends the whole message, which must be read
      body.resume();
      await finished(body);
    }

    const byTarget = new Map<DeliveryTarget, DeliveryResult>(
      results.map((result) => [result.target, result]),
    );
    for (const entry of planned) {
      if (entry.outcome) continue;
      entry.outcome = entry.targets.length
        ? {
            kind: 'stored',
            recipient: entry.input.recipient,
            results: entry.targets.map((index) => byTarget.get(targets[index]!)!),
          }
        : { kind: 'discarded', recipient: entry.input.recipient };
    }
    const kept = spool;
    spool = null;
    return {
      outcomes: planned.map((entry) => entry.outcome!),
      extra: results.slice(0, extraTargets.length),
      results,
      followUp: async (notices = []) => {
        await followUp(deps, message.envelopeSender, header, planned, notices);
        await kept?.remove();
      },
      dispose: async () => {
        await kept?.remove();
      },
    };
  } finally {
    // only when the delivery threw: a returned delivery owns its spool
    await spool?.remove();
  }
}

/**
 * Redirects that must not happen become a copy in INBOX: a loop (the message was already
 * delivered to this address here, or has passed too many hops), or no smarthost to send through
 * (a failure recorded for the user).
 */
function guardRedirects(deps: FilterDeps, entry: Planned, header: Buffer): void {
  const { plan } = entry;
  if (!plan.redirects.length) return;
  const { recipient } = entry.input;
  const original = sieveHeaders(header);
  const own = new Set([recipient.address.toLowerCase(), recipient.account]);
  const delivered = original.some(
    (field) => field.name.toLowerCase() === 'delivered-to' && own.has(field.value.trim().toLowerCase()),
  );
  const hops = entry.headers.filter((field) => field.name.toLowerCase() === 'received').length;
  let why: string | null = null;
  if (delivered)
    why = `not redirected: the message was already delivered to <${recipient.address}> (Delivered-To), a mail loop`;
  else if (hops > MAX_RECEIVED_FOR_REDIRECT)
    why = `not redirected: the message has ${hops} Received headers, a mail loop`;
  else if (!deps.smarthost) why = 'not redirected: no smarthost is configured for outside mail';
  if (!why) return;
  // the user sees why in lastFilterError (settings)
  plan.failure ??= { script: 'redirect', message: why };
  deps.logger?.info(
    { user: recipient.account, to: plan.redirects, why },
    'filter redirect not sent; kept in INBOX',
  );
  plan.redirects = [];
  if (!plan.copies.some((copy) => copy.mailbox === 'INBOX'))
    plan.copies.push({ mailbox: 'INBOX', flags: [], create: false });
}

/**
 * A redirect that keeps no copy here is sent before the client is answered: the message then
 * exists nowhere else, so a redirect that cannot be handed to the smarthost keeps it in INBOX
 * instead (RFC 5228 2.10.6: an action that fails is replaced by keep) rather than losing it. If the
 * transaction is refused later (the maildrop's all or nothing) and retried, the redirect goes out
 * twice: at least once, never lost. Redirects beside a kept copy are follow-ups (filter-followups.ts).
 */
async function redirectWithoutCopy(
  deps: FilterDeps,
  planned: readonly Planned[],
  header: Buffer,
  spool: MessageSpool,
): Promise<void> {
  await Promise.all(
    planned.map(async (entry) => {
      const { plan } = entry;
      if (entry.outcome || plan.copies.length || !plan.redirects.length) return;
      const { recipient, trace } = entry.input;
      const sent = await sendRedirect(deps, {
        user: recipient.user,
        account: recipient.account,
        to: plan.redirects,
        trace,
        header,
        spool,
      });
      plan.redirects = [];
      if (!sent) plan.copies.push({ mailbox: 'INBOX', flags: [], create: false });
    }),
  );
}

/** The paths of the user's mailboxes, for the `mailboxexists` test. */
async function mailboxPaths(deps: FilterDeps, user: ObjectId): Promise<ReadonlySet<string>> {
  return new Set((await listMailboxes(deps.ctx.db, user)).map((mailbox) => mailbox.path));
}

/** The recipient's copies as targets, one per mailbox (a missing mailbox: see mailboxForFiling). */
async function addTargets(
  deps: FilterDeps,
  entry: Planned,
  header: Buffer,
  targets: DeliveryTarget[],
): Promise<void> {
  const { recipient, trace } = entry.input;
  const prefix = Buffer.concat([trace, header]);
  const byMailbox = new Map<string, number>();
  for (const copy of entry.plan.copies) {
    // the plan's INBOX is the keep: the recipient's INBOX, or a team address's shared mailbox
    let mailbox: ObjectId = recipient.keepInto;
    if (entry.filters) {
      const filing = await mailboxForFiling(
        deps,
        recipient.user,
        recipient.keepInto,
        copy.mailbox,
        copy.create,
      );
      mailbox = filing.mailbox;
      if (filing.fellBack) entry.plan.failure ??= { script: scriptOf(entry), message: filing.why };
    }
    const known = byMailbox.get(mailbox.toHexString());
    if (known !== undefined) {
      const target = targets[known]!;
      targets[known] = { ...target, flags: [...new Set([...(target.flags ?? []), ...copy.flags])] };
      continue;
    }
    byMailbox.set(mailbox.toHexString(), targets.length);
    entry.targets.push(targets.length);
    targets.push({ label: recipient.address, user: recipient.user, mailbox, prefix, flags: copy.flags });
  }
}

function optional<K extends string>(key: K, value: string | undefined): { [key in K]?: string } {
  return value === undefined ? {} : ({ [key]: value } as { [key in K]?: string });
}

function scriptOf(entry: Planned): string {
  const names = entry.filters?.scripts.map((script) => script.name) ?? [];
  return names.length === 1 ? names[0]! : names.join(', ') || 'filters';
}

/** The follow-ups of every recipient, written to the outbox in one insert. */
async function followUp(
  deps: FilterDeps,
  sender: string,
  header: Buffer,
  planned: readonly Planned[],
  notices: readonly LocalRecipient[],
): Promise<void> {
  try {
    const entries = await Promise.all(
      planned.map(async (entry): Promise<(NewMailOutboxEntry | null)[]> => {
        const { recipient, trace } = entry.input;
        const outcome = entry.outcome!;
        if (outcome.kind === 'rejected') {
          if (!notices.includes(recipient)) return [];
          return [
            rejectionNoticeEntry(deps, {
              user: recipient.user,
              sender,
              recipient: recipient.address,
              reason: outcome.reason,
              header,
              original: entry.headers,
            }),
          ];
        }
        const kept =
          outcome.kind === 'discarded' ||
          (outcome.kind === 'stored' && outcome.results.every((result) => result.ok));
        if (!kept) return [];
        const { plan } = entry;
        if (plan.failure) {
          deps.logger?.warn(
            { user: recipient.account, ...plan.failure },
            'a filter failed; the message was kept in INBOX',
          );
          await noteFilterFailure(deps, recipient.user, plan.failure);
        }
        const copies = outcome.kind === 'stored' ? outcome.results.flatMap((r) => (r.ok ? [r.id] : [])) : [];
        const found: (NewMailOutboxEntry | null)[] = [];
        // a redirect beside no copy was sent before the reply (redirectWithoutCopy)
        if (plan.redirects.length && copies.length)
          found.push(
            redirectEntry({
              user: recipient.user,
              account: recipient.account,
              to: plan.redirects,
              trace,
              copies,
            }),
          );
        if (plan.vacation) {
          try {
            found.push(
              await vacationEntry(deps, {
                user: recipient.user,
                account: recipient.account,
                action: plan.vacation,
                original: entry.headers,
              }),
            );
          } catch (error) {
            deps.logger?.warn({ err: error, user: recipient.account }, 'vacation reply failed');
          }
        }
        return found;
      }),
    );
    await enqueueFollowUps(
      deps,
      entries.flat().filter((entry): entry is NewMailOutboxEntry => entry !== null),
    );
  } catch (error) {
    deps.logger?.warn({ err: error }, 'a filter follow-up failed');
  }
}
