'use client';
// The virtualised listbox under both mail lists (message-list.tsx and thread-list.tsx): only the
// rows in view (plus a few) are in the DOM, so a folder of 20,000 messages scrolls as smoothly as
// one of twenty; rows not loaded yet show a placeholder while the next pages arrive, one after
// another, as the list nears them. It also owns the keyboard cursor (arrows move it, Enter opens)
// and the error, loading and empty states. The two lists differ only in their rows and words, so
// the scrolling, paging and keyboard logic lives here once and cannot drift apart.
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Icon } from '@/components/icons';
import type { PagedListState } from './use-paged-list';

/** Every row (loaded or placeholder) is this tall: the list places rows by index from it. */
export const ROW_HEIGHT = 84;
const OVERSCAN = 6;

/**
 * What a mail list (message-list.tsx, thread-list.tsx) is given: the listbox's part, and which
 * item is open in the reading pane (its row is tinted).
 */
export interface MailListProps<T> {
  list: PagedListState<T>;
  label: string;
  emptyText: string;
  cursorId: string | null;
  openId: string | null;
  onCursor: (item: T) => void;
  onOpen: (item: T) => void;
  onLoadMore: () => void;
  onRetry: () => void;
}

/**
 * A row's look for its state, the same in both lists: open (or ticked) rows tinted, the cursor
 * row grey with a bar at its start, unread rows white and read ones faded.
 */
export function optionRowClassName({
  highlighted,
  isCursor,
  unread,
}: {
  highlighted: boolean;
  isCursor: boolean;
  unread: boolean;
}): string {
  return `flex cursor-pointer gap-2 border-b border-slate-100 px-3 py-2.5 ${
    highlighted ? 'bg-brand-50' : isCursor ? 'bg-slate-100' : unread ? 'bg-white' : 'bg-slate-50/60'
  } ${isCursor ? 'shadow-[inset_3px_0_0_var(--color-brand-600)]' : ''} hover:bg-slate-100`;
}

export function VirtualListbox<T extends { id: string }>({
  list,
  label,
  noun,
  emptyText,
  optionId,
  testId,
  prefetchRows,
  cursorId,
  onCursor,
  onOpen,
  onLoadMore,
  onRetry,
  renderRow,
}: Omit<MailListProps<T>, 'openId'> & {
  /** What the items are called in the error and loading texts: "messages", "conversations". */
  noun: string;
  /** The id attribute of an item's row, which aria-activedescendant names for the cursor. */
  optionId: (id: string) => string;
  testId: string;
  /** Start loading the next page this many rows before the loaded ones run out. */
  prefetchRows: number;
  /** A loaded item's row (role="option", ROW_HEIGHT tall); `setSize` is the whole list's length. */
  renderRow: (item: T, index: number, setSize: number) => ReactNode;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);
  const { items, hasNextPage, loadingMore } = list;
  const rowCount = hasNextPage ? Math.max(list.total, items.length + 1) : items.length;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rowCount - 1, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    setViewport(element.clientHeight);
    const observer = new ResizeObserver(() => setViewport(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, [list.status]);

  // Pages arrive in order: ask for the next one while the view is near (or past) the loaded end.
  useEffect(() => {
    if (hasNextPage && !loadingMore && list.status === 'ready' && last >= items.length - prefetchRows) {
      onLoadMore();
    }
  }, [hasNextPage, loadingMore, last, items.length, list.status, onLoadMore, prefetchRows]);

  // Keep the cursor row in view when it moves by keyboard.
  const cursorIndex = cursorId ? items.findIndex((item) => item.id === cursorId) : -1;
  useEffect(() => {
    const element = scroller.current;
    if (!element || cursorIndex < 0) return;
    const top = cursorIndex * ROW_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT > element.scrollTop + element.clientHeight) {
      element.scrollTop = top + ROW_HEIGHT - element.clientHeight;
    }
  }, [cursorIndex]);

  // A new folder or search starts at the top.
  useEffect(() => {
    if (list.status !== 'loading') return;
    // the scroller is not rendered while loading, so the remembered offset is reset too: else the
    // new rows would be drawn from the old list's offset, below a short result's end
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
  }, [list.status]);

  if (list.status === 'error') {
    return (
      <div role="alert" className="m-4 rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900">
        <p className="font-semibold">{`The ${noun} could not be loaded.`}</p>
        <p className="mt-1">{list.error}</p>
        <button
          type="button"
          onClick={onRetry}
          className="mt-3 rounded-md bg-red-800 px-3 py-1.5 font-semibold text-white hover:bg-red-700"
        >
          Try again
        </button>
      </div>
    );
  }
  if (list.status === 'loading') {
    return (
      <div aria-busy="true" aria-label={`Loading ${label}`} className="overflow-hidden" role="status">
        <span className="sr-only">{`Loading ${noun}…`}</span>
        {Array.from({ length: 8 }, (_, index) => (
          <PlaceholderRow key={index} />
        ))}
      </div>
    );
  }
  if (!items.length) {
    return (
      <div className="flex flex-1 flex-col items-center justify-center gap-2 p-8 text-center text-slate-600">
        <Icon name="mailOpen" className="h-10 w-10 text-slate-400" />
        <p data-testid="empty-list">{emptyText}</p>
      </div>
    );
  }

  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp' && event.key !== 'Enter') return;
    event.preventDefault();
    event.stopPropagation();
    if (event.key === 'Enter') {
      const item = items[Math.max(0, cursorIndex)];
      if (item) onOpen(item);
      return;
    }
    const next =
      items[Math.min(items.length - 1, Math.max(0, cursorIndex + (event.key === 'ArrowDown' ? 1 : -1)))];
    if (next) onCursor(next);
  };

  const rows = [];
  for (let index = first; index <= last; index += 1) {
    const item = items[index];
    rows.push(
      <div
        key={item?.id ?? `placeholder-${index}`}
        className="absolute inset-x-0"
        style={{ top: index * ROW_HEIGHT }}
      >
        {item ? renderRow(item, index, rowCount) : <PlaceholderRow />}
      </div>,
    );
  }

  return (
    <div
      ref={scroller}
      role="listbox"
      aria-label={label}
      aria-activedescendant={cursorId ? optionId(cursorId) : undefined}
      tabIndex={0}
      onKeyDown={move}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      className="relative min-h-0 flex-1 overflow-y-auto overscroll-contain focus-visible:outline-offset-[-2px]"
      data-testid={testId}
      data-total={list.total}
    >
      <div style={{ height: rowCount * ROW_HEIGHT }} className="relative">
        {rows}
      </div>
    </div>
  );
}

function PlaceholderRow() {
  return (
    <div
      className="flex gap-3 border-b border-slate-100 px-5 py-3"
      style={{ height: ROW_HEIGHT }}
      aria-hidden="true"
    >
      <div className="flex-1 animate-pulse space-y-2">
        <div className="h-3 w-1/3 rounded bg-slate-200" />
        <div className="h-3 w-2/3 rounded bg-slate-200" />
        <div className="h-3 w-5/6 rounded bg-slate-100" />
      </div>
    </div>
  );
}
