// Which UIDs vanished since a modseq (RFC 7162 3.2.5.1, 3.2.6): from the store's change journal,
// or, when the journal no longer reaches back, every UID below UIDNEXT that is not present.
import type { ImapBackend, ImapUser } from './backend.js';
import type { SequenceRange } from './parser/types.js';
import { intersectRanges, missingRanges, rangesOf, type UidRange } from './uid-ranges.js';

/** Where to look and what the client already knows. */
export interface VanishedQuery {
  backend: ImapBackend;
  user: ImapUser;
  mailboxId: string;
  sinceModseq: number;
  /** UIDs present now, ascending. */
  presentUids: readonly number[];
  /** Highest UID that may have existed (UIDNEXT - 1). */
  maxUid: number;
  /** Limit the answer to these UIDs (known-uids or the FETCH set); null for all. */
  within: readonly SequenceRange[] | null;
}

/** UID ranges expunged after `sinceModseq`, limited to `within`. */
export async function vanishedSince(query: VanishedQuery): Promise<UidRange[]> {
  const changes = await query.backend.changesSince(query.user, query.mailboxId, query.sinceModseq);
  let ranges: UidRange[];
  if (changes) {
    const present = new Set(query.presentUids);
    const expunged: number[] = [];
    for await (const change of changes) {
      if (change.kind === 'EXPUNGE' && !present.has(change.uid)) expunged.push(change.uid);
    }
    ranges = rangesOf([...new Set(expunged)].sort((a, b) => a - b));
  } else {
    ranges = missingRanges(query.presentUids, query.maxUid);
  }
  return query.within ? intersectRanges(ranges, query.within, query.maxUid) : ranges;
}
