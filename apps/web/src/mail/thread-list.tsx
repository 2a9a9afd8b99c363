'use client';
// The conversation list, virtualised like message-list.tsx: only the rows in view (plus a few)
// are in the DOM, and further pages load as the list nears their rows.
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Icon } from '@/components/icons';
import { displayName, formatListDate } from '@/shared/format';
import type { ThreadSummary } from './thread-operations';
import type { ThreadListState } from './use-thread-list';

const ROW_HEIGHT = 84;
const OVERSCAN = 6;
const PREFETCH_ROWS = 40;

/** Who wrote, shortest first: first names when several, the whole name when one. */
export function participantsText(thread: ThreadSummary): string {
  const names = thread.participants.map((participant) => displayName(participant));
  if (names.length <= 1) return names[0] ?? displayName(thread.latest.from[0]);
  return names.map((name) => name.split(/\s+/)[0]).join(', ');
}

export function ThreadList({
  list,
  label,
  emptyText,
  cursorId,
  openId,
  onCursor,
  onOpen,
  onLoadMore,
  onRetry,
}: {
  list: ThreadListState;
  label: string;
  emptyText: string;
  cursorId: string | null;
  openId: string | null;
  onCursor: (thread: ThreadSummary) => void;
  onOpen: (thread: ThreadSummary) => void;
  onLoadMore: () => void;
  onRetry: () => void;
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

  useEffect(() => {
    if (hasNextPage && !loadingMore && list.status === 'ready' && last >= items.length - PREFETCH_ROWS) {
      onLoadMore();
    }
  }, [hasNextPage, loadingMore, last, items.length, list.status, onLoadMore]);

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
        <p className="font-semibold">The conversations could not be loaded.</p>
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
        <span className="sr-only">Loading conversations…</span>
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
      const thread = items[Math.max(0, cursorIndex)];
      if (thread) onOpen(thread);
      return;
    }
    const next =
      items[Math.min(items.length - 1, Math.max(0, cursorIndex + (event.key === 'ArrowDown' ? 1 : -1)))];
    if (next) onCursor(next);
  };

  const rows = [];
  for (let index = first; index <= last; index += 1) {
    const thread = items[index];
    rows.push(
      <div
        key={thread?.id ?? `placeholder-${index}`}
        className="absolute inset-x-0"
        style={{ top: index * ROW_HEIGHT }}
      >
        {thread ? (
          <ThreadRow
            thread={thread}
            index={index}
            setSize={rowCount}
            isCursor={thread.id === cursorId}
            isOpen={thread.id === openId}
            onOpen={onOpen}
          />
        ) : (
          <PlaceholderRow />
        )}
      </div>,
    );
  }

  return (
    <div
      ref={scroller}
      role="listbox"
      aria-label={label}
      aria-activedescendant={cursorId ? `thread-${cursorId}` : undefined}
      tabIndex={0}
      onKeyDown={move}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      className="relative min-h-0 flex-1 overflow-y-auto overscroll-contain focus-visible:outline-offset-[-2px]"
      data-testid="thread-list"
      data-total={list.total}
    >
      <div style={{ height: rowCount * ROW_HEIGHT }} className="relative">
        {rows}
      </div>
    </div>
  );
}

function ThreadRow({
  thread,
  index,
  setSize,
  isCursor,
  isOpen,
  onOpen,
}: {
  thread: ThreadSummary;
  index: number;
  setSize: number;
  isCursor: boolean;
  isOpen: boolean;
  onOpen: (thread: ThreadSummary) => void;
}) {
  const unread = thread.unseenCount > 0;
  const who = participantsText(thread);
  const count = thread.messageCount;
  return (
    <div
      // a base64url thread id: safe in an id attribute
      // named by its content (with words for the marks), so the name holds what is seen
      id={`thread-${thread.id}`}
      role="option"
      aria-selected={isCursor}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      onClick={() => onOpen(thread)}
      data-testid="thread-row"
      data-unread={unread ? 'true' : 'false'}
      data-count={count}
      className={`flex cursor-pointer gap-2 border-b border-slate-100 px-3 py-2.5 ${
        isOpen ? 'bg-brand-50' : isCursor ? 'bg-slate-100' : unread ? 'bg-white' : 'bg-slate-50/60'
      } ${isCursor ? 'shadow-[inset_3px_0_0_var(--color-brand-600)]' : ''} hover:bg-slate-100`}
      style={{ height: ROW_HEIGHT }}
    >
      <span className="mt-1.5 w-2 shrink-0" aria-hidden="true">
        {unread ? <span className="block h-2 w-2 rounded-full bg-brand-600" /> : null}
      </span>
      <div className="min-w-0 flex-1">
        <div className="flex items-center gap-2">
          <span
            className={`min-w-0 truncate text-sm ${unread ? 'font-bold text-slate-900' : 'text-slate-700'}`}
          >
            {unread ? <span className="sr-only">Unread, </span> : null}
            <span data-testid="thread-participants">{who}</span>
            <span className="sr-only">,</span>
          </span>
          {count > 1 ? (
            <span
              className="shrink-0 rounded-full bg-slate-200 px-1.5 text-xs font-semibold text-slate-700"
              data-testid="thread-count"
            >
              {count}
              <span className="sr-only"> messages,</span>
            </span>
          ) : null}
          <span className="flex-1" />
          {thread.hasAttachments ? (
            <>
              <Icon name="paperclip" className="h-4 w-4 text-slate-500" data-testid="attachment-mark" />
              <span className="sr-only">has attachments,</span>
            </>
          ) : null}
          <time dateTime={thread.date} className="shrink-0 text-xs text-slate-600">
            {formatListDate(thread.date)}
          </time>
        </div>
        <div className="flex items-center gap-2">
          <p
            className={`min-w-0 flex-1 truncate text-sm ${unread ? 'font-semibold text-slate-900' : 'text-slate-800'}`}
          >
            {thread.subject || '(no subject)'}
          </p>
          {thread.flagged ? (
            <>
              <Icon name="star" filled className="h-4 w-4 text-amber-500" data-testid="thread-star" />
              <span className="sr-only">starred</span>
            </>
          ) : null}
        </div>
        <p className="truncate text-xs text-slate-600">{thread.latest.snippet}</p>
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
