'use client';
// One mailbox's list (optionally filtered by a search), read page by page: the first page when the
// mailbox or the search changes, the next one on loadMore. The message list (use-message-list.ts)
// and the conversation list (use-thread-list.ts) page the same way and differ only in what they
// fetch and how live changes update them, so the paging lives here once: the generation counter
// that drops the answers of a list no longer shown, the one-page-at-a-time guard, and the merge
// that skips items a page repeats (a new message shifts the pages under the cursor).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MessageSearch, PageInfo } from '@/client/api-types';
import { describeError } from '@/client/graphql';

export interface PagedListState<T> {
  items: T[];
  /** Items in the mailbox (matching the search), loaded or not. */
  total: number;
  hasNextPage: boolean;
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  /** True while a further page is on its way. */
  loadingMore: boolean;
}

const INITIAL: PagedListState<never> = {
  items: [],
  total: 0,
  hasNextPage: false,
  status: 'loading',
  error: null,
  loadingMore: false,
};

/** One page as the API's connections carry it. */
export interface ListPage<T> {
  edges: { node: T }[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Reads one page of a mailbox's list: `after` is the previous page's end cursor. */
export type FetchListPage<T> = (
  mailboxId: string,
  first: number,
  after: string | null,
  search: MessageSearch | null,
) => Promise<ListPage<T>>;

/** The API's search argument for the (trimmed) search text: none when it is empty. */
export function searchArgument(searchKey: string): MessageSearch | null {
  return searchKey ? { text: searchKey } : null;
}

export function usePagedList<T extends { id: string }>({
  mailboxId,
  searchText,
  pageSize,
  fetchPage,
  whenNoMailbox,
}: {
  /** null: nothing is loaded. */
  mailboxId: string | null;
  searchText: string;
  pageSize: number;
  /** A module-level function, so that its identity stays the same from render to render. */
  fetchPage: FetchListPage<T>;
  /**
   * What a null mailbox does to what is loaded: 'clear' empties the list (and drops answers on
   * their way), 'keep' leaves the last mailbox's list as it is until another mailbox is read.
   */
  whenNoMailbox: 'clear' | 'keep';
}) {
  const [state, setState] = useState<PagedListState<T>>(INITIAL);
  const cursor = useRef<string | null>(null);
  /** Counts the lists read: an answer for an older one than the current is dropped. */
  const generation = useRef(0);
  const loading = useRef(false);
  const searchKey = searchText.trim();

  /** Reads the first page again (a new mailbox or search, or Try again). */
  const reload = useCallback(async () => {
    if (!mailboxId && whenNoMailbox === 'keep') return;
    const current = ++generation.current;
    setState({ ...INITIAL });
    if (!mailboxId) return;
    loading.current = true;
    try {
      const page = await fetchPage(mailboxId, pageSize, null, searchArgument(searchKey));
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
  }, [mailboxId, searchKey, pageSize, fetchPage, whenNoMailbox]);

  useEffect(() => {
    void reload();
  }, [reload]);

  /** Loads the next page unless one is loading or there is none. */
  const loadMore = useCallback(async () => {
    if (!mailboxId || loading.current || !cursor.current) return;
    const current = generation.current;
    loading.current = true;
    setState((previous) => ({ ...previous, loadingMore: true }));
    try {
      const page = await fetchPage(mailboxId, pageSize, cursor.current, searchArgument(searchKey));
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
  }, [mailboxId, searchKey, pageSize, fetchPage]);

  /**
   * The list's own live updates (refreshTop and the like) change `setState` themselves, and read
   * `generation` first so that an answer for a list no longer shown is dropped.
   */
  return { state, setState, generation, searchKey, loadMore, reload };
}
