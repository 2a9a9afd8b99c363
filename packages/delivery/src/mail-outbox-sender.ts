/**
 * The worker that sends the outgoing-mail outbox of delivery filters (`mailOutbox` in the store):
 * redirects and forwarding beside a kept copy, vacation replies and rejection notices. Every mail
 * server runs one; a claim gives one worker an entry for its lease, so two instances never send an
 * entry at once, and an entry whose worker stopped mid-send is taken up again when the lease ends
 * (at least once, never lost).
 *
 * An attempt ends in one of four ways: sent (deleted; recipients the smarthost refused for good
 * are recorded for the user), gone (a redirect whose stored copy the user has since deleted:
 * dropped), refused for good (a 5xx, or no way to send it: deleted, the failure recorded for the
 * user), or not now (a 4xx, the smarthost out of reach, the store away: tried again after 1 min,
 * 5 min, 30 min, … until two days have passed since it was written, then given up and recorded).
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { ClaimLoop } from '@wildduck/coordination';
import { noteFilterFailure, storeMessage } from '@wildduck/mail-service';
import {
  claimMailOutbox,
  completeMailOutboxEntry,
  openMessageSource,
  retryMailOutboxEntryLater,
  sweepMailOutboxClaims,
  type ClaimedMailOutboxEntry,
} from '@wildduck/store';
import { FAILURE_SCRIPT, type FilterDeps } from './filter-followups.js';
import { findLocalRecipient } from './recipients.js';
import { relayToSmarthost } from './relay.js';
import { SmtpReply } from './replies.js';

/** The delays between attempts; the last one repeats. */
export const MAIL_OUTBOX_RETRY_DELAYS_MS: readonly number[] = [
  60_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3600_000,
  6 * 3600_000,
];
/** How long after it was written an entry is still tried. */
export const MAIL_OUTBOX_GIVE_UP_AFTER_MS = 2 * 24 * 3600_000;

export interface MailOutboxSenderOptions {
  /** The store, change bus, our name, the smarthost and a logger, as delivery has them. */
  deps: FilterDeps;
  /** How often the worker looks for due entries when nothing wakes it (default 2000). */
  pollIntervalMs?: number;
  /** How long a claim keeps other workers off an entry (default 15 minutes: longer than a send). */
  leaseMs?: number;
  /** Entries this worker sends at once (default 4). */
  concurrency?: number;
  retryDelaysMs?: readonly number[];
  giveUpAfterMs?: number;
  /** How often claims left behind are swept (default hourly). */
  sweepIntervalMs?: number;
  /** This worker's name in the outbox (default host:pid:random). */
  worker?: string;
}

/** What one attempt came to. */
type Attempt =
  | { kind: 'sent'; refused: { address: string; reply: string }[] }
  | { kind: 'gone' }
  | { kind: 'failed'; why: string }
  | { kind: 'retry'; why: string };

export class MailOutboxSender {
  private readonly deps: FilterDeps;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly retryDelaysMs: readonly number[];
  private readonly giveUpAfterMs: number;
  private readonly sweepIntervalMs: number;
  readonly worker: string;
  /** Claims due entries and keeps the sends in flight. */
  private readonly loop: ClaimLoop<ClaimedMailOutboxEntry>;
  private closing?: Promise<void>;

  constructor(options: MailOutboxSenderOptions) {
    this.deps = options.deps;
    this.pollIntervalMs = options.pollIntervalMs ?? 2000;
    this.leaseMs = options.leaseMs ?? 15 * 60_000;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.retryDelaysMs = options.retryDelaysMs?.length ? options.retryDelaysMs : MAIL_OUTBOX_RETRY_DELAYS_MS;
    this.giveUpAfterMs = options.giveUpAfterMs ?? MAIL_OUTBOX_GIVE_UP_AFTER_MS;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 3_600_000;
    this.worker = options.worker ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.loop = new ClaimLoop({
      concurrency: this.concurrency,
      pollIntervalMs: this.pollIntervalMs,
      claim: (limit) =>
        claimMailOutbox(this.deps.ctx.db, { worker: this.worker, limit, leaseMs: this.leaseMs }),
      key: (entry) => `${entry.id}:${entry.claim}`,
      handle: (entry) => this.handle(entry),
      onClaimError: (error) =>
        this.deps.logger?.warn({ err: error }, 'could not read the mail outbox; will try again'),
      // the outcome could not be recorded: the lease runs out and the entry is tried again
      onHandleError: (error, entry) =>
        this.deps.logger?.warn({ err: error, entry: entry.id }, 'mail outbox: recording an outcome failed'),
      sweep: {
        intervalMs: this.sweepIntervalMs,
        run: () =>
          sweepMailOutboxClaims(this.deps.ctx.db).then(
            () => undefined,
            (error: unknown) => this.deps.logger?.warn({ err: error }, 'mail outbox claim sweep failed'),
          ),
      },
    });
  }

  /** Starts the worker: it claims and sends due entries until `close`. Idempotent. */
  start(): this {
    this.loop.start((error: unknown) => {
      this.deps.logger?.warn({ err: error }, 'mail outbox sender stopped by an internal error');
    });
    return this;
  }

  /** Looks for due entries now instead of at the next poll (after a local enqueue). */
  wake(): void {
    this.loop.wake();
  }

  /**
   * Stops claiming and gives the sends in flight up to `drainMs` to finish. One still running then
   * keeps its claim: its entry is due again when the lease ends, for whichever worker runs next.
   * Idempotent.
   */
  close(drainMs = 5000): Promise<void> {
    this.closing ??= this.shutdown(drainMs);
    return this.closing;
  }

  private async shutdown(drainMs: number): Promise<void> {
    const deadline = sleep(drainMs);
    await Promise.race([this.loop.stop(), deadline]);
    if (this.loop.inFlight) await Promise.race([this.loop.settled(), deadline]);
  }

  private async handle(entry: ClaimedMailOutboxEntry): Promise<void> {
    const { deps } = this;
    const log = { entry: entry.id, kind: entry.kind, to: entry.to, attempt: entry.attempts };
    let attempt = await this.attempt(entry);
    if (attempt.kind === 'retry') {
      const now = Date.now();
      const delay = this.retryDelaysMs[Math.min(entry.attempts, this.retryDelaysMs.length) - 1]!;
      if (now + delay <= entry.created.getTime() + this.giveUpAfterMs) {
        await retryMailOutboxEntryLater(deps.ctx.db, entry, new Date(now + delay), attempt.why);
        deps.logger?.warn(
          { ...log, retryInMs: delay, error: attempt.why },
          'filter follow-up not sent; will retry',
        );
        return;
      }
      attempt = { kind: 'failed', why: `given up after ${entry.attempts} attempts: ${attempt.why}` };
    }
    await completeMailOutboxEntry(deps.ctx.db, entry.id);
    const script = FAILURE_SCRIPT[entry.kind];
    if (attempt.kind === 'gone') {
      deps.logger?.info(log, 'filter redirect dropped: the user has deleted the message');
    } else if (attempt.kind === 'failed') {
      deps.logger?.warn({ ...log, error: attempt.why }, 'filter follow-up not sent');
      await noteFilterFailure(deps, entry.user, {
        script,
        message: `${describe(entry)} failed: ${attempt.why}`,
      });
    } else {
      deps.logger?.info(log, `filter ${entry.kind} sent`);
      if (attempt.refused.length) {
        const refused = attempt.refused.map((r) => `<${r.address}>: ${r.reply}`).join('; ');
        await noteFilterFailure(deps, entry.user, { script, message: `the smarthost refused ${refused}` });
      }
    }
  }

  /** One try at sending the entry; throws only when the store fails in a way worth no retry. */
  private async attempt(entry: ClaimedMailOutboxEntry): Promise<Attempt> {
    try {
      if (entry.kind !== 'redirect' && entry.to.length === 1) {
        // an automatic reply to one of ours goes into their INBOX (a team address's: its mailbox)
        const local = await findLocalRecipient(this.deps.ctx.db, entry.to[0]!);
        if (local) return await this.storeLocally(entry, local);
      }
      if (!this.deps.smarthost) return { kind: 'failed', why: 'no smarthost is configured for outside mail' };
      const message = await this.messageOf(entry);
      if (!message) return { kind: 'gone' };
      const outcome = await relayToSmarthost(
        this.deps.smarthost,
        { from: entry.from, to: entry.to },
        message,
        this.deps.serverName,
      );
      return { kind: 'sent', refused: outcome.rejected };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      // a 5xx (the smarthost, or a local recipient that is disabled or full) is for good
      if (error instanceof SmtpReply && error.responseCode >= 500) return { kind: 'failed', why };
      return { kind: 'retry', why };
    }
  }

  private async storeLocally(
    entry: ClaimedMailOutboxEntry,
    local: { user: ClaimedMailOutboxEntry['user']; keepInto: ClaimedMailOutboxEntry['user'] },
  ): Promise<Attempt> {
    const message = await this.messageOf(entry);
    if (!message) return { kind: 'gone' };
    const to = entry.to[0]!.replace(/[\r\n]/g, '');
    const trace = Buffer.from(`Return-Path: <${entry.from}>\r\nDelivered-To: ${to}\r\n`);
    const stream = Readable.from(
      (async function* () {
        yield trace;
        yield* message;
      })(),
    );
    const stored = await storeMessage(this.deps, local.user, local.keepInto, stream, { flags: [] });
    if (stored.ok) return { kind: 'sent', refused: [] };
    return { kind: 'failed', why: `<${to}> could not take it (${stored.code})` };
  }

  /** The bytes to send: the composed message, or the stored copy (null: the user deleted it). */
  private async messageOf(entry: ClaimedMailOutboxEntry): Promise<Readable | null> {
    const { content } = entry;
    if ('message' in content) return Readable.from([content.message]);
    for (const id of content.sourceMessages) {
      const source = await openMessageSource(this.deps.ctx.db, entry.user, id, content.skip);
      if (!source) continue;
      const prefix = content.prefix;
      if (!prefix?.length) return source.stream;
      return Readable.from(
        (async function* () {
          yield prefix;
          yield* source.stream;
        })(),
      );
    }
    return null;
  }
}

function describe(entry: ClaimedMailOutboxEntry): string {
  const to = entry.to.map((address) => `<${address}>`).join(', ');
  if (entry.kind === 'redirect') return `redirect to ${to}`;
  if (entry.kind === 'vacation') return `vacation reply to ${to}`;
  return `rejection notice to ${to}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
