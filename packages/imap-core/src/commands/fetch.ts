// FETCH and UID FETCH (RFC 3501 6.4.5), with CHANGEDSINCE and VANISHED (RFC 7162). Messages are
// streamed one at a time and body sections are piped from the store with back-pressure, so a
// large FETCH never holds more than one message's data items in memory.
import { SELECTED_STATE, bad, no, ok, type CommandHandler, type CommandSession } from '../command-handler.js';
import type { FetchedMessage } from '../backend.js';
import { binaryValues, type BinaryValues } from '../binary-values.js';
import { bodyStructureValue, envelopeValue } from '../body-structure.js';
import { planFetch, type FetchPlan } from '../fetch-plan.js';
import { previewText } from '../preview.js';
import { announceNewFlags } from '../flag-announcement.js';
import type { FetchCommand } from '../parser/types.js';
import type { SelectedMailbox } from '../selected-mailbox.js';
import { uidsForSet } from '../sequence-set.js';
import { formatRanges } from '../uid-ranges.js';
import { vanishedSince } from '../vanished.js';
import { atom, formatDateTime, literal, type ImapValue } from '../writer/index.js';

/** Returns message data. */
export const fetch: CommandHandler<FetchCommand> = {
  states: SELECTED_STATE,
  async handle(session, command) {
    const { user, selected } = session;
    if (!user || !selected) return bad('No mailbox selected');
    if (
      command.vanished &&
      (!command.uid || !session.isEnabled('QRESYNC') || command.changedSince === null)
    ) {
      return bad('VANISHED needs UID FETCH, CHANGEDSINCE and ENABLE QRESYNC');
    }
    if (command.changedSince !== null || command.items.some((item) => item.item === 'MODSEQ')) {
      session.enable('CONDSTORE');
    }
    const uids = uidsForSet(command.sequenceSet, command.uid, selected);
    if (command.vanished && command.changedSince !== null) {
      const vanished = await vanishedSince({
        backend: session.backend,
        user,
        mailboxId: selected.id,
        sinceModseq: command.changedSince,
        presentUids: selected.allUids(),
        maxUid: selected.lastUid,
        within:
          command.sequenceSet === '$' ? uids.map((uid) => ({ start: uid, end: uid })) : command.sequenceSet,
      });
      if (vanished.length)
        await session.untagged(atom('VANISHED'), [atom('EARLIER')], atom(formatRanges(vanished)));
    }
    if (uids.length === 0) return ok('FETCH completed');
    const plan = planFetch(command.items, { uid: command.uid, withModseq: command.changedSince !== null });
    // RFC 4314 4: without the `s` right a body fetch leaves \Seen alone, and still succeeds
    const keepsSeen = selected.rights === undefined || selected.rights.includes('s');
    const seenNow =
      plan.marksSeen && !selected.readOnly && keepsSeen ? await markSeen(session, selected, uids) : new Map();
    const query =
      command.changedSince !== null ? { ...plan.query, changedSince: command.changedSince } : plan.query;
    let binaryFailure: BinaryValues['failure'] = null;
    for await (const message of session.backend.fetch(user, selected.id, uids, query)) {
      // a dropped client (a slow reader) reads nothing more: stop pulling messages from the store
      if (session.disconnected) break;
      const sequence = selected.sequenceOf(message.uid);
      if (!sequence) continue;
      const seenFlags = seenNow.get(message.uid);
      await announceNewFlags(session, selected, message.flags ?? seenFlags);
      // RFC 3516: a part that cannot be decoded fails the FETCH; the other messages are still sent
      const binary = await binaryValues(plan, message);
      binaryFailure ??= binary.failure;
      const items = fetchItems(plan, message, seenFlags, session.isEnabled('UTF8=ACCEPT'), binary);
      if (!items.length) continue;
      await session.untagged(sequence, atom('FETCH'), items);
    }
    if (binaryFailure === 'unknown-encoding')
      return no('Unknown Content-Transfer-Encoding; BINARY cannot decode it', 'UNKNOWN-CTE');
    if (binaryFailure === 'not-leaf')
      return no('BINARY is only for leaf body parts, not multipart, message or the whole message');
    return ok('FETCH completed');
  },
};

/** Sets `\Seen` before a non-PEEK body fetch; returns the new flags of messages that changed (also for NOTIFY). */
export async function markSeen(
  session: CommandSession,
  selected: SelectedMailbox,
  uids: readonly number[],
): Promise<Map<number, readonly string[]>> {
  const user = session.user;
  const changed = new Map<number, readonly string[]>();
  if (!user) return changed;
  const result = await session.backend.store(user, selected.id, uids, { action: 'add', flags: ['\\Seen'] });
  // rights taken away since SELECT: the FETCH goes on without setting \Seen
  if ('ok' in result) return changed;
  for (const update of result.updated) {
    if (!update.changed) continue;
    changed.set(update.uid, update.flags);
    selected.noteReportedFlags(update.uid, update.modseq);
  }
  return changed;
}

/** The `(name value ...)` list of one message, in the order the client asked. */
export function fetchItems(
  plan: FetchPlan,
  message: FetchedMessage,
  seenFlags: readonly string[] | undefined,
  utf8: boolean,
  binary: BinaryValues,
): ImapValue[] {
  const values: ImapValue[] = [];
  let flagsWritten = false;
  for (const item of plan.items) {
    switch (item.kind) {
      case 'UID':
        values.push(atom('UID'), message.uid);
        break;
      case 'FLAGS':
        values.push(atom('FLAGS'), (message.flags ?? []).map(atom));
        flagsWritten = true;
        break;
      case 'INTERNALDATE':
        values.push(atom('INTERNALDATE'), formatDateTime(message.internalDate ?? new Date(0)));
        break;
      case 'RFC822.SIZE':
        values.push(atom('RFC822.SIZE'), message.size ?? 0);
        break;
      case 'MODSEQ':
        values.push(atom('MODSEQ'), [message.modseq ?? 0]);
        break;
      case 'EMAILID':
        // RFC 8474: EMAILID (objectid)
        values.push(atom('EMAILID'), [atom(message.emailId ?? '')]);
        break;
      case 'THREADID':
        values.push(atom('THREADID'), message.threadId ? [atom(message.threadId)] : null);
        break;
      case 'SAVEDATE':
        // RFC 8514: NIL only where the mailbox keeps no save date; ours always has one
        values.push(atom('SAVEDATE'), message.saveDate ? formatDateTime(message.saveDate) : null);
        break;
      case 'PREVIEW':
        values.push(atom('PREVIEW'), previewText(message.preview ?? ''));
        break;
      case 'ENVELOPE':
        values.push(atom('ENVELOPE'), message.envelope ? envelopeValue(message.envelope) : null);
        break;
      case 'BODYSTRUCTURE':
      case 'BODY':
        values.push(
          atom(item.kind),
          message.bodyStructure
            ? bodyStructureValue(message.bodyStructure, item.kind === 'BODYSTRUCTURE', { utf8 })
            : null,
        );
        break;
      case 'binary-size':
        if (binary.values.has(item.index)) values.push(atom(item.name), binary.values.get(item.index) ?? 0);
        break;
      case 'section': {
        if (item.binary) {
          if (binary.values.has(item.index))
            values.push(atom(item.name), binary.values.get(item.index) ?? null);
          break;
        }
        const content = message.sections?.[item.index] ?? null;
        values.push(
          atom(item.name),
          content && 'open' in content ? literal(content.open(), content.length) : null,
        );
        break;
      }
    }
  }
  // RFC 3501 6.4.5: when the fetch set \Seen, the new flags are sent even if not asked.
  if (seenFlags && !flagsWritten) values.push(atom('FLAGS'), seenFlags.map(atom));
  return values;
}
