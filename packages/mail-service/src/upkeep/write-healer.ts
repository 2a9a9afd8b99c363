import { ObjectId } from 'mongodb';
import { checkConsistency, repairConsistency, type FindingKind, type StoreContext } from '@wildduck/store';
import type { ChangeBus } from '@wildduck/change-bus';
import { announceMailboxChange } from '../writes/announce.js';

/** What the healer reports (a pino logger fits). */
export interface HealerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface WriteHealerOptions {
  ctx: StoreContext;
  logger: HealerLogger;
  /** Where a change journalled again is announced, so views and subscribers read it now. */
  bus?: ChangeBus;
  /** How often interrupted writes are looked for (default 10 s). */
  intervalMs?: number;
}

/** A running healer: `runOnce` looks now (tests), `stop` ends it. */
export interface WriteHealer {
  runOnce(): Promise<number>;
  stop(): void;
}

const USER_LOCK = /^user:([0-9a-f]{24})$/;

/** Findings whose repair writes a journal entry: their mailboxes are announced, so readers catch up now. */
const JOURNALLING_KINDS = new Set<FindingKind>(['unjournalled-message', 'unjournalled-removal']);

/**
 * Repairs what writes that stopped halfway left behind. A write of a user's messages changes
 * several documents under the user lock (a message, its mailbox's counters, the user's storage
 * counter, the journal); when the store stops answering in the middle, or the process dies there,
 * the counters can be left off by that write. The lock manager remembers such sections (their work
 * threw, or their instance died holding them); every `intervalMs` this takes them, checks each
 * user (packages/store consistency-check: the same checks as `npm run fsck --user`) and repairs
 * what it finds, each fix recounted under the user lock. A user that cannot be looked at now (the
 * store is still away) is given back for the next round.
 */
export function startWriteHealer(options: WriteHealerOptions): WriteHealer {
  const { ctx, logger } = options;
  let running: Promise<number> | null = null;

  async function heal(): Promise<number> {
    const names = (await ctx.locks.takeInterrupted?.()) ?? [];
    let repaired = 0;
    for (const name of names) {
      const match = USER_LOCK.exec(name);
      if (!match) continue;
      const user = new ObjectId(match[1]);
      try {
        const report = await checkConsistency(ctx.db, { user });
        if (!report.findings.length) continue;
        const changes = await repairConsistency(ctx, report.findings);
        const changed = changes.filter((change) => change.changed);
        repaired += changed.length;
        const retold = new Set(
          changed
            .filter((change) => JOURNALLING_KINDS.has(change.finding.kind) && change.finding.mailbox)
            .map((change) => String(change.finding.mailbox)),
        );
        if (options.bus)
          for (const mailbox of retold)
            await announceMailboxChange({ ctx, bus: options.bus }, user, new ObjectId(mailbox), 0);
        logger.info(
          { user: match[1], repairs: changed.map((change) => `${change.finding.kind}: ${change.action}`) },
          'repaired what an interrupted write left',
        );
      } catch (error) {
        logger.warn(
          { err: error, user: match[1] },
          'could not check a user after an interrupted write; will try again',
        );
        await ctx.locks.markInterrupted?.(name).catch(() => {});
      }
    }
    return repaired;
  }

  function runOnce(): Promise<number> {
    running ??= heal().finally(() => (running = null));
    return running;
  }

  const timer = setInterval(() => {
    runOnce().catch((error: unknown) => logger.warn({ err: error }, 'write healer failed'));
  }, options.intervalMs ?? 10_000);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
