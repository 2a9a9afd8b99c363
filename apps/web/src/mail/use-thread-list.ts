'use client';
// The conversations of one mailbox (optionally filtered by a search), loaded page by page as the
// list scrolls, and re-read at the top when live changes arrive (a new message moves its
// conversation up; a flag or an expunge changes a conversation's marks).
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '@/client/graphql';
import { fetchThreads, type ThreadSummary } from './thread-operations';

/** The API serves at most 100 conversations per page. */
const PAGE_SIZE = 100;
/** How many of the newest conversations a live change checks... */
const TOP_SIZE = 50;
/** ...reading this many more, for those a few new conversations pushed below the first TOP_SIZE. */
const TOP_MARGIN = 10;

export interface ThreadListState {
  items: ThreadSummary[];
  /** Conversations in the mailbox (matching the search), loaded or not. */
  total: number;
  hasNextPage: boolean;
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  loadingMore: boolean;
}

const INITIAL: ThreadListState = {
  items: [],
  total: 0,
  hasNextPage: false,
  status: 'loading',
  error: null,
  loadingMore: false,
};

/** `mailboxId` null: nothing is loaded (the list shows single messages). */
export function useThreadList(mailboxId: string | null, searchText: string) {
  const [state, setState] = useState<ThreadListState>(INITIAL);
  const cursor = useRef<string | null>(null);
  const generation = useRef(0);
  const loading = useRef(false);
  const searchKey = searchText.trim();

  const loadFirstPage = useCallback(async () => {
    const current = ++generation.current;
    setState({ ...INITIAL });
    if (!mailboxId) return;
    loading.current = true;
    try {
      const page = await fetchThreads(mailboxId, PAGE_SIZE, null, searchKey ? { text: searchKey } : null);
      if (current !== generation.current) return;
      cursor.current = page.pageInfo.endCursor ?? null;
      setState({
        items: page.edges.map((edge) => edge.node),
        total: page.totalCount,
        hasNextPage: page.pageInfo.hasNextPage,
        status: 'ready',
        error: null,
        loadingMore: false,
      });
    } catch (error) {
      if (current !== generation.current) return;
      setState({ ...INITIAL, status: 'error', error: describeError(error) });
    } finally {
      if (current === generation.current) loading.current = false;
    }
  }, [mailboxId, searchKey]);

  useEffect(() => {
    void loadFirstPage();
  }, [loadFirstPage]);

  const loadMore = useCallback(async () => {
    if (!mailboxId || loading.current || !cursor.current) return;
    const current = generation.current;
    loading.current = true;
    setState((previous) => ({ ...previous, loadingMore: true }));
    try {
      const page = await fetchThreads(
        mailboxId,
        PAGE_SIZE,
        cursor.current,
        searchKey ? { text: searchKey } : null,
      );
      if (current !== generation.current) return;
      cursor.current = page.pageInfo.endCursor ?? null;
      setState((previous) => {
        const known = new Set(previous.items.map((item) => item.id));
        const added = page.edges.map((edge) => edge.node).filter((node) => !known.has(node.id));
        return {
          ...previous,
          items: [...previous.items, ...added],
          total: Math.max(page.totalCount, previous.items.length + added.length),
          hasNextPage: page.pageInfo.hasNextPage,
          loadingMore: false,
        };
      });
    } catch (error) {
      if (current !== generation.current) return;
      setState((previous) => ({ ...previous, loadingMore: false, error: describeError(error) }));
    } finally {
      if (current === generation.current) loading.current = false;
    }
  }, [mailboxId, searchKey]);

  /**
   * Re-reads the newest conversations and puts them on top, in their new order, each replacing
   * its older copy further down; one of the first TOP_SIZE shown that is not among them any more
   * was emptied (moved, deleted) or merged, and goes.
   */
  const refreshTop = useCallback(async () => {
    if (!mailboxId) return;
    const current = generation.current;
    try {
      const page = await fetchThreads(
        mailboxId,
        TOP_SIZE + TOP_MARGIN,
        null,
        searchKey ? { text: searchKey } : null,
      );
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
  }, [mailboxId, searchKey]);

  return { ...state, loadMore, refreshTop, reload: loadFirstPage };
}

export type ThreadListModel = ReturnType<typeof useThreadList>;
