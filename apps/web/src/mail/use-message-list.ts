'use client';
// The messages of one mailbox (optionally filtered by a search), loaded page by page as the
// list scrolls (use-paged-list.ts), and kept current by live changes: new mail on top, expunges
// out, flags updated.
import { useCallback } from 'react';
import type { MessageSummary } from '@/client/api-types';
import { fetchMessages } from './operations';
import { withTopPage } from './list-top-page';
import { searchArgument, usePagedList, type PagedListState } from './use-paged-list';

/** The API serves at most 200 per page. */
const PAGE_SIZE = 200;
/** How many of the newest messages a live EXISTS re-reads to find the new ones. */
const TOP_SIZE = 50;

export type MessageListState = PagedListState<MessageSummary>;

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
  const { state, setState, generation, searchKey, loadMore, reload } = usePagedList({
    mailboxId,
    searchText,
    pageSize: PAGE_SIZE,
    fetchPage: fetchMessages,
    // conversation mode on: the list is not shown, and is read again when the mode goes off
    whenNoMailbox: 'keep',
  });

  /** Re-reads the newest messages and puts the ones we do not have yet on top (live EXISTS). */
  const refreshTop = useCallback(async () => {
    if (!mailboxId) return;
    const current = generation.current;
    try {
      const page = await fetchMessages(mailboxId, TOP_SIZE, null, searchArgument(searchKey));
      if (current !== generation.current) return;
      setState((previous) => ({
        ...previous,
        ...withTopPage(
          previous,
          page.edges.map((edge) => edge.node),
        ),
        total: page.totalCount,
      }));
    } catch {
      // the next change or a reload will catch up
    }
  }, [mailboxId, searchKey, generation, setState]);

  /** Takes messages out of the list (moved, deleted, or expunged elsewhere). */
  const removeWhere = useCallback(
    (predicate: (message: MessageSummary) => boolean) => {
      setState((previous) => {
        const items = previous.items.filter((item) => !predicate(item));
        const removed = previous.items.length - items.length;
        return removed ? { ...previous, items, total: Math.max(0, previous.total - removed) } : previous;
      });
    },
    [setState],
  );

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
    [setState],
  );

  return { ...state, loadMore, refreshTop, removeWhere, updateWhere, reload };
}

/** The list with the operations that change it, as the webmail's hooks receive it. */
export type MessageListModel = ReturnType<typeof useMessageList>;
