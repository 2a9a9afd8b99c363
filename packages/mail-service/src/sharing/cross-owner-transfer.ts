/**
 * COPY and MOVE between mailboxes of different owners (a member copying from a team mailbox into
 * their own INBOX, or filing into a shared one). The store's transfers keep one owner's message
 * documents and part references; across owners each message is stored again for the target's
 * owner (whose quota it counts against) from its source, all or nothing, as an APPEND is. A move
 * then removes the originals from the source, as EXPUNGE would. Transfers into or out of Junk are
 * reported (SPAM / NOT_SPAM) for the target's owner.
 */
import type { ObjectId } from 'mongodb';
import { findByUids, normalizeFlags, openMessageSource, toNumber } from '@wildduck/store';
import type { MailContext } from '../writes/mail-context.js';
import { appendMessages, type AppendInput } from '../writes/appends.js';
import { removeMessagesById } from '../writes/messages.js';
import type { AccessibleMailbox } from './mailbox-access.js';

export type CrossOwnerOutcome =
  | { ok: true; uidValidity: number; mapping: [number, number][] }
  | { ok: false; code: 'OVERQUOTA' | 'TOOBIG' | 'NONEXISTENT' };

/**
 * Copies (or moves) messages of `source` into `target`, whose owners differ; the caller has checked
 * the rights (`r` on the source, `i` on the target, and `t`, `e` on the source for a move).
 * `flagsFor` gives each message's flags as the acting user sees them.
 */
export async function transferAcrossOwners(
  mail: MailContext,
  how: 'copy' | 'move',
  source: AccessibleMailbox,
  uids: readonly number[],
  target: AccessibleMailbox,
  flagsFor: (uid: number, shared: readonly string[]) => readonly string[],
): Promise<CrossOwnerOutcome> {
  const documents = await findByUids(mail.ctx.db, source.mailbox._id!, uids, {
    _id: 1,
    flags: 1,
    internalDate: 1,
  });
  const originals = documents.map((document) => ({
    id: document._id as ObjectId,
    uid: toNumber(document.uid),
    flags: normalizeFlags(flagsFor(toNumber(document.uid), (document.flags as string[]) ?? [])),
    internalDate: document.internalDate as Date,
  }));
  if (!originals.length) return { ok: true, uidValidity: target.mailbox.uidValidity, mapping: [] };
  async function* inputs(): AsyncIterable<AppendInput> {
    for (const original of originals) {
      const opened = await openMessageSource(mail.ctx.db, source.owner, original.id);
      // gone meanwhile (expunged by another session): the whole transfer fails, as for APPEND
      if (!opened) throw new MessageGone();
      yield {
        message: opened.stream,
        flags: original.flags,
        internalDate: original.internalDate,
        size: opened.length,
      };
    }
  }
  let outcome;
  try {
    outcome = await appendMessages(mail, target.owner, target.mailbox, inputs());
  } catch (error) {
    if (error instanceof MessageGone) return { ok: false, code: 'NONEXISTENT' };
    throw error;
  }
  if (!outcome.ok) return { ok: false, code: outcome.code };
  // reported once stored, as transferMessages does, for the target's owner: a move (or copy) into or
  // out of Junk across owners is reported like one within an owner's mailboxes
  await mail.junkReporter?.afterTransfer(
    { id: target.owner, address: target.ownerAddress },
    reportMailbox(source),
    reportMailbox(target),
    outcome.uids,
  );
  if (how === 'move')
    await removeMessagesById(
      mail,
      source.owner,
      source.mailbox._id!,
      originals.map((original) => original.id),
    );
  return {
    ok: true,
    uidValidity: outcome.uidValidity,
    mapping: originals.map((original, index) => [original.uid, outcome.uids[index]!] as [number, number]),
  };
}

class MessageGone extends Error {}

function reportMailbox(box: AccessibleMailbox) {
  return {
    _id: box.mailbox._id!,
    path: box.mailbox.path,
    specialUse: box.mailbox.specialUse ?? null,
    uidValidity: toNumber(box.mailbox.uidValidity),
  };
}
