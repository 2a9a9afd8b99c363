// Pure: how the message list takes a fresh read of its newest messages (use-message-list.ts).
import type { MessageSummary } from '../client/api-types';

/**
 * The list after a fresh read of its newest messages (a live change): messages it shows take
 * their new state, and those it lacks that are newer than its last loaded one join it, in its
 * order (newest, highest UID, first). An older one is left for the next page: the first page may
 * have been short (40 while the API was still reading the folder) and the top read is longer.
 */
export function withTopPage(
  previous: { items: readonly MessageSummary[]; hasNextPage: boolean },
  top: readonly MessageSummary[],
): { items: MessageSummary[] } {
  const byId = new Map(top.map((node) => [node.id, node]));
  const known = new Set(previous.items.map((item) => item.id));
  const oldestLoaded = previous.hasNextPage ? previous.items.at(-1)?.uid : undefined;
  const fresh = top.filter(
    (node) => !known.has(node.id) && (oldestLoaded === undefined || node.uid > oldestLoaded),
  );
  const items = [...fresh, ...previous.items.map((item) => byId.get(item.id) ?? item)];
  if (fresh.length) items.sort((a, b) => b.uid - a.uid);
  return { items };
}
