import type { Db, Document, Filter, ObjectId } from 'mongodb';
import { toNumber } from './ids.js';
import type { LockManager } from './locks.js';
import { POINT_READS } from './message-lookup.js';
import { ensureSearchIndex, MESSAGE_SEARCH } from './search-index.js';
import {
  hasTextKeys,
  mergeConditions,
  searchFilter,
  searchLeaves,
  splitTextSearch,
  uidFilter,
  type MessageQuery,
} from './search.js';

/** How a search is answered: fully (its UIDs, ascending), or by a filter over the messages collection. */
export type SearchPlan =
  | { kind: 'uids'; uids: number[] }
  | {
      kind: 'filter';
      filter: Filter<Document>;
      /** When set, only these UIDs (ascending) can match; the filter already says so. */
      candidates?: number[];
    };

/**
 * Plans a search of one mailbox. Text keys are answered from the search collection (search-index.ts),
 * whose documents are a fraction of a message document: the text parts of the top-level AND in one
 * query (if nothing else is asked, that is the answer), and any text key inside OR or NOT by a query
 * of its own; what is left becomes a filter over the messages collection, narrowed to the UIDs the
 * text parts matched. Every query has `mailbox` as a top-level equality. A mailbox whose search
 * documents are not filled in yet (older than the collection; `locks` lets it be filled in now) is
 * searched in the messages collection alone.
 */
export async function planSearch(
  db: Db,
  mailbox: ObjectId,
  query: MessageQuery,
  locks?: LockManager,
): Promise<SearchPlan> {
  if (!hasTextKeys(query) || !(await ensureSearchIndex(db, mailbox, locks)))
    return { kind: 'filter', filter: searchFilter(mailbox, query) };
  const uidsOf = async (part: MessageQuery): Promise<number[]> =>
    (
      await db
        .collection(MESSAGE_SEARCH)
        .find(searchFilter(mailbox, part), { projection: { _id: 0, uid: 1 } })
        .toArray()
    )
      .map((document) => toNumber(document.uid))
      .sort((a, b) => a - b);

  const { text, rest } = splitTextSearch(query);
  let candidates: number[] | undefined;
  if (text) {
    candidates = await uidsOf(text);
    if (!rest || !candidates.length) return { kind: 'uids', uids: candidates };
  }
  const remaining = rest!;
  const resolved = new Map<MessageQuery, number[]>();
  await Promise.all(
    searchLeaves(remaining)
      .filter((leaf) => hasTextKeys(leaf))
      .map(async (leaf) => resolved.set(leaf, await uidsOf(leaf))),
  );
  const filter = mergeConditions(
    searchFilter(mailbox, remaining, undefined, resolved),
    candidates ? [uidFilter(candidates)] : [],
  );
  return candidates ? { kind: 'filter', filter, candidates } : { kind: 'filter', filter };
}

/**
 * The UIDs (ascending) of the messages a plan matches. A few candidates are checked by
 * `{mailbox, uid}` equality each (an index lookup on FerretDB too), more by one query.
 */
export async function runSearchPlan(db: Db, plan: SearchPlan): Promise<number[]> {
  if (plan.kind === 'uids') return plan.uids;
  const messages = db.collection('messages');
  const options = { projection: { _id: 0, uid: 1 } };
  let documents: Document[];
  if (plan.candidates && plan.candidates.length <= POINT_READS) {
    // `uid: N` replaces the top-level UID condition (kept in the $and if it was not the candidates')
    const { uid: existing, ...others } = plan.filter as Document;
    const keep = existing === undefined ? [] : [{ uid: existing }];
    const found = await Promise.all(
      plan.candidates.map((uid) => messages.findOne(mergeConditions({ ...others, uid }, keep), options)),
    );
    documents = found.filter((document) => document !== null);
  } else {
    documents = await messages.find(plan.filter, options).toArray();
  }
  // sorted here: FerretDB sorts in Go after reading everything anyway
  return documents.map((document) => toNumber(document.uid)).sort((a, b) => a - b);
}
