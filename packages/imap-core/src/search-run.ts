// What SEARCH, SORT and THREAD share: the charset check, running the search keys against the
// backend, the sort records of the matches (SORT and THREAD), and the highest MODSEQ of a result
// (RFC 7162 3.1.5).
import type { SortRecord } from './backend.js';
import { bad, no, type CommandSession, type TaggedResult } from './command-handler.js';
import type { SearchKey } from './parser/types.js';
import { toSearchQuery, usesModseq } from './search-query.js';
import type { SelectedMailbox } from './selected-mailbox.js';
import { badCharsetCode } from './writer/index.js';

/** The charsets search strings may be given in (both decoded as UTF-8). */
export const SEARCH_CHARSETS = ['US-ASCII', 'UTF-8'];

/**
 * The answer to an unusable charset, or null when it is fine: NO [BADCHARSET] for one we do not
 * know; for SEARCH, BAD for any after ENABLE UTF8=ACCEPT (RFC 6855 3; SORT and THREAD must name one).
 */
export function charsetProblem(
  session: CommandSession,
  charset: string | null,
  optional: boolean,
): TaggedResult | null {
  if (charset === null) return null;
  if (optional && session.isEnabled('UTF8=ACCEPT'))
    return bad('CHARSET is not allowed after ENABLE UTF8=ACCEPT');
  if (!SEARCH_CHARSETS.includes(charset)) return no('Unsupported charset', badCharsetCode(SEARCH_CHARSETS));
  return null;
}

/**
 * UIDs (ascending) of the messages matching `criteria`, among those the client knows of (a new
 * message waits for its EXISTS). A MODSEQ key turns CONDSTORE on (RFC 7162 3.1).
 */
export async function matchingUids(
  session: CommandSession,
  selected: SelectedMailbox,
  criteria: readonly SearchKey[],
): Promise<number[]> {
  const user = session.user;
  if (!user) return [];
  if (usesModseq(criteria)) session.enable('CONDSTORE');
  const found = await session.backend.search(user, selected.id, toSearchQuery(criteria, selected));
  return found.filter((uid) => selected.sequenceOf(uid) > 0);
}

/** The backend's sort records of the messages matching `criteria` (see matchingUids), for SORT and THREAD. */
export async function matchingSortRecords(
  session: CommandSession,
  selected: SelectedMailbox,
  criteria: readonly SearchKey[],
): Promise<readonly SortRecord[]> {
  const user = session.user;
  if (!user) return [];
  const uids = await matchingUids(session, selected, criteria);
  const records = uids.length ? await session.backend.sortRecords(user, selected.id, uids) : [];
  const matched = new Set(uids);
  return records.filter((record) => matched.has(record.uid));
}

/** The highest MODSEQ among `uids` (0 when none). */
export async function highestModseqOf(
  session: CommandSession,
  selected: SelectedMailbox,
  uids: readonly number[],
): Promise<number> {
  const user = session.user;
  if (!user || !uids.length) return 0;
  let highest = 0;
  for await (const message of session.backend.fetch(user, selected.id, uids, { modseq: true })) {
    highest = Math.max(highest, message.modseq ?? 0);
  }
  return highest;
}
