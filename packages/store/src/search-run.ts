import type { Db, Document, Filter, ObjectId } from 'mongodb';
import { toNumber } from './ids.js';
import type { LockManager } from './locks.js';
import { ensureSearchIndex, MESSAGE_SEARCH } from './search-index.js';
import { searchFilter, type MessageQuery } from './search.js';

/** How a search is answered: fully (its UIDs, ascending), or by a filter over the messages collection. */
export type SearchPlan = { kind: 'uids'; uids: number[] } | { kind: 'filter'; filter: Filter<Document> };

/**
 * Plans a search of one mailbox. When the mailbox has its search documents (search-index.ts), the
 * whole search is one query over them: they hold every field SEARCH matches and are a fraction of a
 * message document, which FerretDB 1.24 decodes in full before it evaluates a `$regex` or `$in`. A
 * mailbox from before them (`locks` lets them be built now) is searched in the messages collection.
 * Either way `mailbox` is a top-level equality, the part FerretDB pushes down.
 */
export async function planSearch(
  db: Db,
  mailbox: ObjectId,
  query: MessageQuery,
  locks?: LockManager,
): Promise<SearchPlan> {
  const filter = searchFilter(mailbox, query);
  if (!(await ensureSearchIndex(db, mailbox, locks))) return { kind: 'filter', filter };
  const documents = await db
    .collection(MESSAGE_SEARCH)
    .find(filter, { projection: { _id: 0, uid: 1 } })
    .toArray();
  return { kind: 'uids', uids: sortedUids(documents) };
}

/** The UIDs (ascending) of the messages a plan matches. */
export async function runSearchPlan(db: Db, plan: SearchPlan): Promise<number[]> {
  if (plan.kind === 'uids') return plan.uids;
  const documents = await db
    .collection('messages')
    .find(plan.filter, { projection: { _id: 0, uid: 1 } })
    .toArray();
  return sortedUids(documents);
}

/** Sorted here: FerretDB sorts in Go after reading everything anyway. */
function sortedUids(documents: readonly Document[]): number[] {
  return documents.map((document) => toNumber(document.uid)).sort((a, b) => a - b);
}
