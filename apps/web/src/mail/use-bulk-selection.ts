'use client';
// The ticked messages of the list, kept by message id (the list is virtualised: rows come and go
// as it scrolls, the selection stays). Either some loaded messages are ticked, or the whole
// folder is ("select all N messages in INBOX"), less the ones unticked since: then the server
// chooses the messages, including those the list has not loaded.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MessageSummary } from '@/client/api-types';
import type { MessageSelection } from './bulk-operations';
import type { MessageListState } from './use-message-list';

interface Ticks {
  /** The whole folder (matching the search) is selected, but for `ids`. */
  allInFolder: boolean;
  /** Ticked ids; with allInFolder, the unticked ones. */
  ids: ReadonlySet<string>;
  /** Where a shift-click range starts: the last row ticked or unticked by itself. */
  anchorId: string | null;
}

const NONE: Ticks = { allInFolder: false, ids: new Set(), anchorId: null };

export function useBulkSelection(
  list: Pick<MessageListState, 'items' | 'total'>,
  mailboxId: string | null,
  searchText: string,
) {
  const [ticks, setTicks] = useState<Ticks>(NONE);
  const { items, total } = list;

  // another folder or search: a new list, nothing ticked
  useEffect(() => setTicks(NONE), [mailboxId, searchText]);

  const isSelected = useCallback(
    (id: string) => (ticks.allInFolder ? !ticks.ids.has(id) : ticks.ids.has(id)),
    [ticks],
  );

  // ticked messages that left the list (moved elsewhere, expunged) no longer count
  const loadedSelected = useMemo(() => items.filter((item) => isSelected(item.id)), [items, isSelected]);
  const count = ticks.allInFolder
    ? Math.max(0, total - items.filter((item) => ticks.ids.has(item.id)).length)
    : loadedSelected.length;
  const allLoadedSelected = items.length > 0 && loadedSelected.length === items.length;

  /** Ticks or unticks one row; with `range`, every row from the anchor to it takes its new state. */
  const toggle = useCallback(
    (message: MessageSummary, range = false) => {
      setTicks((previous) => {
        const selectedNow = previous.allInFolder
          ? !previous.ids.has(message.id)
          : previous.ids.has(message.id);
        const select = !selectedNow;
        const from =
          range && previous.anchorId ? items.findIndex((item) => item.id === previous.anchorId) : -1;
        const to = items.findIndex((item) => item.id === message.id);
        const span =
          from >= 0 && to >= 0
            ? items.slice(Math.min(from, to), Math.max(from, to) + 1).map((item) => item.id)
            : [message.id];
        const ids = new Set(previous.ids);
        // in "all in folder" the set holds the unticked: ticking removes from it
        const keep = previous.allInFolder ? !select : select;
        for (const id of span) {
          if (keep) ids.add(id);
          else ids.delete(id);
        }
        return { allInFolder: previous.allInFolder, ids, anchorId: message.id };
      });
    },
    [items],
  );

  /** The header checkbox: ticks every loaded row, or clears when all are ticked already. */
  const toggleAllLoaded = useCallback(() => {
    setTicks((previous) =>
      allLoadedSelected || previous.allInFolder
        ? NONE
        : { allInFolder: false, ids: new Set(items.map((item) => item.id)), anchorId: null },
    );
  }, [allLoadedSelected, items]);

  const selectAllInFolder = useCallback(
    () => setTicks({ allInFolder: true, ids: new Set(), anchorId: null }),
    [],
  );
  const clear = useCallback(() => setTicks(NONE), []);

  /** The selection as the API takes it. */
  const toSelection = useCallback((): MessageSelection => {
    if (!ticks.allInFolder) return { ids: loadedSelected.map((item) => item.id) };
    const search = searchText.trim() ? { text: searchText.trim() } : null;
    return { mailboxId, search, exceptIds: [...ticks.ids] };
  }, [ticks, loadedSelected, mailboxId, searchText]);

  return {
    count,
    allInFolder: ticks.allInFolder,
    allLoadedSelected,
    /** The loaded messages that are selected. */
    loadedSelected,
    isSelected,
    toggle,
    toggleAllLoaded,
    selectAllInFolder,
    clear,
    toSelection,
  };
}

export type BulkSelection = ReturnType<typeof useBulkSelection>;
