'use client';
// The messages of one mailbox (optionally filtered by a search), loaded page by page as the
// list scrolls, and kept current by live changes: new mail on top, expunges out, flags updated.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MessageSummary } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { fetchMessages } from './operations';

/** The API serves at most 200 per page. */
const PAGE_SIZE = 200;
/** How many of the newest messages a live EXISTS re-reads to find the new ones. */
const TOP_SIZE = 50;

export interface MessageListState {
  items: MessageSummary[];
  /** Messages in the mailbox (matching the search), loaded or not. */
  total: number;
  hasNextPage: boolean;
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  /** True while a further page is on its way. */
  loadingMore: boolean;
}

const INITIAL: MessageListState = {
  items: [],
  total: 0,
  hasNextPage: false,
  status: 'loading',
  error: null,
  loadingMore: false,
};

/** Flags as booleans, the way MessageSummary carries them. */
export function withFlags(message: MessageSummary, flags: string[]): MessageSummary {
  return {
    ...message,
    flags,
    seen: flags.includes('\\Seen'),
    flagged: flags.includes('\\Flagged'),
    answered: flags.includes('\\Answered'),
    draft: flags.includes('\\Draft'),
  };
}

export function useMessageList(mailboxId: string | null, searchText: string) {
  const [state, setState] = useState<MessageListState>(INITIAL);
  const cursor = useRef<string | null>(null);
  const generation = useRef(0);
  const loading = useRef(false);
  const search = searchText.trim() ? { text: searchText.trim() } : null;
  const searchKey = search?.text ?? '';

  const loadFirstPage = useCallback(async () => {
    if (!mailboxId) return;
    const current = ++generation.current;
    loading.current = true;
    setState({ ...INITIAL });
    try {
      const page = await fetchMessages(mailboxId, PAGE_SIZE, null, searchKey ? { text: searchKey } : null);
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

  /** Loads the next page unless one is loading or there is none. */
  const loadMore = useCallback(async () => {
    if (!mailboxId || loading.current || !cursor.current) return;
    const current = generation.current;
    loading.current = true;
    setState((previous) => ({ ...previous, loadingMore: true }));
    try {
      const page = await fetchMessages(
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

  /** Re-reads the newest messages and puts the ones we do not have yet on top (live EXISTS). */
  const refreshTop = useCallback(async () => {
    if (!mailboxId) return;
    const current = generation.current;
    try {
      const page = await fetchMessages(mailboxId, TOP_SIZE, null, searchKey ? { text: searchKey } : null);
      if (current !== generation.current) return;
      setState((previous) => {
        const byId = new Map(page.edges.map((edge) => [edge.node.id, edge.node]));
        const known = new Set(previous.items.map((item) => item.id));
        const fresh = page.edges.map((edge) => edge.node).filter((node) => !known.has(node.id));
        const updated = previous.items.map((item) => byId.get(item.id) ?? item);
        return { ...previous, items: [...fresh, ...updated], total: page.totalCount };
      });
    } catch {
      // the next change or a reload will catch up
    }
  }, [mailboxId, searchKey]);

  /** Takes messages out of the list (moved, deleted, or expunged elsewhere). */
  const removeWhere = useCallback((predicate: (message: MessageSummary) => boolean) => {
    setState((previous) => {
      const items = previous.items.filter((item) => !predicate(item));
      const removed = previous.items.length - items.length;
      return removed ? { ...previous, items, total: Math.max(0, previous.total - removed) } : previous;
    });
  }, []);

  /** Replaces one message's fields (flags changed here or elsewhere). */
  const updateWhere = useCallback(
    (
      predicate: (message: MessageSummary) => boolean,
      update: (message: MessageSummary) => MessageSummary,
    ) => {
      setState((previous) => ({
        ...previous,
        items: previous.items.map((item) => (predicate(item) ? update(item) : item)),
      }));
    },
    [],
  );

  return { ...state, loadMore, refreshTop, removeWhere, updateWhere, reload: loadFirstPage };
}

/** The list with the operations that change it, as the webmail's hooks receive it. */
export type MessageListModel = ReturnType<typeof useMessageList>;
