/**
 * Flag changes by a user who may not own the mailbox. The owner changes flags as always. Anyone
 * else changes the shared flags only as far as their rights go (RFC 4314: `s` \Seen, `t` \Deleted,
 * `w` every other flag; flags they may not change are left as they are), and their \Seen is their
 * own (private-seen.ts in the store): one reader does not mark mail read for the others.
 */
import type { ObjectId } from 'mongodb';
import {
  hasRights,
  normalizeFlags,
  readPrivateSeen,
  readerFlags,
  updatePrivateSeen,
  type FlagUpdate,
  type FlagUpdateResult,
  type UidRanges,
} from '@wildduck/store';
import type { MailContext } from '../writes/mail-context.js';
import { announceMailboxChange } from '../writes/announce.js';
import { setFlags } from '../writes/messages.js';
import type { AccessibleMailbox } from './mailbox-access.js';

/** The user may change none of the flags asked for (NO [NOPERM]). */
export interface FlagsRefused {
  ok: false;
  code: 'NOPERM';
}

/** What a flag change by `user` did, with every message's flags as that user sees them. */
export async function setFlagsAs(
  mail: MailContext,
  user: ObjectId,
  target: AccessibleMailbox,
  uids: readonly number[],
  update: FlagUpdate,
): Promise<FlagUpdateResult | FlagsRefused> {
  const mailbox = target.mailbox._id!;
  if (target.owner.equals(user)) return setFlags(mail, user, mailbox, uids, update);
  const plan = planFlagChange(target.rights, update);
  if (!plan) return { ok: false, code: 'NOPERM' };
  const shared = plan.shared
    ? await setFlags(mail, target.owner, mailbox, uids, plan.shared)
    : { updated: [], modified: [] };
  // UNCHANGEDSINCE refused these: their \Seen stays too
  const refused = new Set(shared.modified);
  const seenUids = uids.filter((uid) => !refused.has(uid));
  const seenChanges =
    plan.seen === null
      ? []
      : await updatePrivateSeen(mail.ctx, target.owner, mailbox, user, seenUids, plan.seen);
  if (seenChanges.some((change) => change.changed))
    await announceMailboxChange(
      mail,
      target.owner,
      mailbox,
      Math.max(...seenChanges.filter((change) => change.changed).map((change) => change.modseq)),
      'flags',
    );
  const bySeen = new Map(seenChanges.map((change) => [change.uid, change]));
  const seen =
    plan.seen === null || bySeen.size < seenUids.length ? await readerSeen(mail, target, user) : null;
  const updated = new Map<number, FlagUpdateResult['updated'][number]>();
  for (const entry of shared.updated)
    updated.set(entry.uid, { ...entry, flags: readerFlags(entry.flags, seen?.has(entry.uid) ?? false) });
  for (const change of seenChanges) {
    const before = updated.get(change.uid);
    // the private change is the later one: its MODSEQ and flags are the message's as the user sees it
    if (change.changed || !before)
      updated.set(change.uid, { ...change, changed: change.changed || !!before?.changed });
  }
  return { updated: [...updated.values()].sort((a, b) => a.uid - b.uid), modified: shared.modified };
}

/** The \Seen a reader other than the owner keeps for a mailbox. */
export async function readerSeen(
  mail: MailContext,
  target: AccessibleMailbox,
  user: ObjectId,
): Promise<UidRanges> {
  return readPrivateSeen(mail.ctx.db, target.mailbox._id!, user);
}

/** How a non-owner's flag change splits: the shared part (never touching \Seen) and their own \Seen. */
export interface FlagChangePlan {
  shared: FlagUpdate | null;
  /** true: mark seen, false: unseen, null: leave \Seen alone. */
  seen: boolean | null;
}

/**
 * Splits a flag change by a reader with `rights` into what they may change; null when they may
 * change none of what they asked for. Pure, so the rules are tested on their own.
 */
export function planFlagChange(rights: string, update: FlagUpdate): FlagChangePlan | null {
  const flags = normalizeFlags(update.flags);
  const mayWrite = hasRights(rights, 'w');
  const mayDelete = hasRights(rights, 't');
  const maySee = hasRights(rights, 's');
  const allowed = (flag: string) => (flag === '\\Deleted' ? mayDelete : mayWrite);
  const others = flags.filter((flag) => flag !== '\\Seen');
  const asksSeen = flags.includes('\\Seen');
  let seen: boolean | null = null;
  if (maySee && (asksSeen || update.action === 'replace'))
    seen = update.action === 'remove' ? false : update.action === 'add' ? true : asksSeen;
  let shared: FlagUpdate | null = null;
  const base = update.unchangedSince !== undefined ? { unchangedSince: update.unchangedSince } : {};
  if (update.action === 'replace') {
    if (mayWrite) {
      // every flag but those the reader may not touch: \Seen is theirs, \Deleted needs `t`
      const keep = mayDelete ? others : others.filter((flag) => flag !== '\\Deleted');
      shared = {
        action: 'replace',
        flags: keep,
        keepSeen: true,
        ...base,
        ...(mayDelete ? {} : { keepDeleted: true }),
      };
    } else if (mayDelete)
      shared = {
        action: others.includes('\\Deleted') ? 'add' : 'remove',
        flags: ['\\Deleted'],
        keepSeen: true,
        ...base,
      };
  } else {
    const permitted = others.filter(allowed);
    if (permitted.length) shared = { action: update.action, flags: permitted, keepSeen: true, ...base };
  }
  if (!shared && seen === null) return null;
  return { shared, seen };
}
