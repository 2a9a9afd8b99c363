'use client';
// The conversations of one mailbox (optionally filtered by a search), loaded page by page as the
// list scrolls (use-paged-list.ts), and re-read at the top when live changes arrive (a new
// message moves its conversation up; a flag or an expunge changes a conversation's marks).
import { useCallback } from 'react';
import { fetchThreads } from './thread-operations';
import { searchArgument, usePagedList } from './use-paged-list';

/** The API serves at most 100 conversations per page. */
const PAGE_SIZE = 100;
/** How many of the newest conversations a live change checks... */
const TOP_SIZE = 50;
/** ...reading this many more, for those a few new conversations pushed below the first TOP_SIZE. */
const TOP_MARGIN = 10;

/** `mailboxId` null: nothing is loaded (the list shows single messages). */
export function useThreadList(mailboxId: string | null, searchText: string) {
  const { state, setState, generation, searchKey, loadMore, reload } = usePagedList({
    mailboxId,
    searchText,
    pageSize: PAGE_SIZE,
    fetchPage: fetchThreads,
    // conversation mode off: the emptied list is not shown, and no stale page arrives later
    whenNoMailbox: 'clear',
  });

  /**
   * Re-reads the newest conversations and puts them on top, in their new order, each replacing
   * its older copy further down; one of the first TOP_SIZE shown that is not among them any more
   * was emptied (moved, deleted) or merged, and goes.
   */
  const refreshTop = useCallback(async () => {
    if (!mailboxId) return;
    const current = generation.current;
    try {
      const page = await fetchThreads(mailboxId, TOP_SIZE + TOP_MARGIN, null, searchArgument(searchKey));
      if (current !== generation.current) return;
      setState((previous) => {
        if (previous.status !== 'ready') return previous;
        const top = page.edges.map((edge) => edge.node);
        const onTop = new Set(top.map((item) => item.id));
        const rest = previous.items.slice(TOP_SIZE).filter((item) => !onTop.has(item.id));
        return {
          ...previous,
          items: page.pageInfo.hasNextPage ? [...top, ...rest] : top,
          total: page.totalCount,
          hasNextPage: page.pageInfo.hasNextPage ? previous.hasNextPage : false,
        };
      });
    } catch {
      // the next change or a reload will catch up
    }
  }, [mailboxId, searchKey, generation, setState]);

  return { ...state, loadMore, refreshTop, reload };
}

export type ThreadListModel = ReturnType<typeof useThreadList>;
