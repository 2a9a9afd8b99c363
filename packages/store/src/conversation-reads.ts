import type { Db, ObjectId } from 'mongodb';
import type { LockManager } from './locks.js';
import { findByUids } from './message-lookup.js';
import { MESSAGE_SUMMARY_PROJECTION, toMessageView, type MessageView } from './message-views.js';
import { planSearch, runSearchPlan } from './search-run.js';
import type { MessageQuery } from './search.js';

/** The UIDs (ascending) of a mailbox's messages matching a search tree (the IMAP SEARCH engine). */
export async function searchMailboxUids(
  db: Db,
  mailbox: ObjectId,
  query: MessageQuery,
  locks?: LockManager,
): Promise<number[]> {
  return runSearchPlan(db, await planSearch(db, mailbox, query, locks));
}

/**
 * Point reads at a time: enough to overlap FerretDB's per-query overhead, few enough not to flood
 * it (each query in flight holds one of its PostgreSQL connections, which every process shares).
 */
const POINT_READS_AT_ONCE = 16;

/**
 * The list fields of a mailbox's messages with these UIDs (those that still exist), ascending UID.
 * Why point reads: FerretDB pushes down only `{mailbox, uid}` equality (ferretdb-notes.md), so a
 * page of conversations reads only its own messages. One query over the mailbox decodes every
 * message in it; measured on a loaded 2-core machine (apps/api/test/threads.test.ts) a point read
 * cost about as much as decoding four messages that way, so when more than a quarter of the
 * mailbox (`mailboxSize` messages) is wanted, the one query is cheaper.
 */
export async function readMessageSummaries(
  db: Db,
  mailbox: ObjectId,
  uids: readonly number[],
  mailboxSize: number,
): Promise<MessageView[]> {
  const wanted = [...new Set(uids)].sort((a, b) => a - b);
  if (wanted.length > POINT_READS_AT_ONCE && wanted.length * 4 > mailboxSize)
    return (await findByUids(db, mailbox, wanted, MESSAGE_SUMMARY_PROJECTION, { pointReads: 0 })).map(
      toMessageView,
    );
  const found: MessageView[] = [];
  for (let start = 0; start < wanted.length; start += POINT_READS_AT_ONCE) {
    const batch = wanted.slice(start, start + POINT_READS_AT_ONCE);
    const documents = await findByUids(db, mailbox, batch, MESSAGE_SUMMARY_PROJECTION, {
      pointReads: POINT_READS_AT_ONCE,
    });
    found.push(...documents.map(toMessageView));
  }
  return found;
}
