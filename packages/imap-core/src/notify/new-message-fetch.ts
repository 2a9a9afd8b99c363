// RFC 5465 5.2: MessageNew with fetch attributes for the selected mailbox: after the EXISTS that
// announced new messages, an untagged FETCH of those attributes for each of them, written by the
// same machinery as FETCH (non-PEEK body sections set \Seen, as FETCH would).
import { binaryValues } from '../binary-values.js';
import type { CommandSession } from '../command-handler.js';
import { fetchItems, markSeen } from '../commands/fetch.js';
import { planFetch } from '../fetch-plan.js';
import { announceNewFlags } from '../flag-announcement.js';
import type { FetchItem } from '../parser/types.js';
import type { SelectedMailbox } from '../selected-mailbox.js';
import { atom } from '../writer/index.js';

/** Writes `* n FETCH (...)` with `items` for every message above `previousLastUid`. */
export async function fetchNewMessages(
  session: CommandSession,
  selected: SelectedMailbox,
  previousLastUid: number,
  items: readonly FetchItem[],
): Promise<void> {
  const user = session.user;
  if (!user || !items.length || selected.lastUid <= previousLastUid) return;
  const uids = selected.allUids().filter((uid) => uid > previousLastUid);
  const plan = planFetch(items, { uid: false, withModseq: false });
  const seenNow = plan.marksSeen && !selected.readOnly ? await markSeen(session, selected, uids) : new Map();
  for await (const message of session.backend.fetch(user, selected.id, uids, plan.query)) {
    if (session.disconnected) break;
    const sequence = selected.sequenceOf(message.uid);
    if (!sequence) continue;
    const seenFlags = seenNow.get(message.uid);
    await announceNewFlags(session, selected, message.flags ?? seenFlags);
    const binary = await binaryValues(plan, message);
    const values = fetchItems(plan, message, seenFlags, session.isEnabled('UTF8=ACCEPT'), binary);
    if (values.length) await session.untagged(sequence, atom('FETCH'), values);
  }
}
