'use client';
// The message list, virtualised: only the rows in view (plus a few) are in the DOM, so a folder
// of 20,000 messages scrolls as smoothly as one of twenty. Rows not loaded yet show a
// placeholder while the next pages arrive, one after another, as the list nears them.
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { MessageSummary } from '@/client/api-types';
import { Icon } from '@/components/icons';
import { displayName, formatListDate } from '@/shared/format';
import { MESSAGE_DRAG_TYPE } from './folder-list';
import type { MessageListState } from './use-message-list';

export const ROW_HEIGHT = 84;
const OVERSCAN = 6;
/** Start loading the next page this many rows before the loaded ones run out. */
const PREFETCH_ROWS = 60;

export function MessageList({
  list,
  label,
  emptyText,
  cursorId,
  openId,
  showRecipient,
  onCursor,
  onOpen,
  onToggleStar,
  onLoadMore,
  onRetry,
  isChecked,
  onCheck,
}: {
  list: MessageListState;
  label: string;
  emptyText: string;
  cursorId: string | null;
  openId: string | null;
  /** In Sent and Drafts the list names the recipient rather than the sender. */
  showRecipient: boolean;
  onCursor: (message: MessageSummary) => void;
  onOpen: (message: MessageSummary) => void;
  onToggleStar: (message: MessageSummary) => void;
  onLoadMore: () => void;
  onRetry: () => void;
  /** Bulk selection (use-bulk-selection.ts): whether a row is ticked, and ticking one (`range`: shift-click). */
  isChecked?: (id: string) => boolean;
  onCheck?: (message: MessageSummary, range: boolean) => void;
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
    if (hasNextPage && !loadingMore && list.status === 'ready' && last >= items.length - PREFETCH_ROWS) {
      onLoadMore();
    }
  }, [hasNextPage, loadingMore, last, items.length, list.status, onLoadMore]);

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
        <p className="font-semibold">The messages could not be loaded.</p>
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
        <span className="sr-only">Loading messages…</span>
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
    const current = cursorIndex < 0 ? -1 : cursorIndex;
    if (event.key === 'Enter') {
      const message = items[Math.max(0, current)];
      if (message) onOpen(message);
      return;
    }
    const next =
      items[Math.min(items.length - 1, Math.max(0, current + (event.key === 'ArrowDown' ? 1 : -1)))];
    if (next) onCursor(next);
  };

  const rows = [];
  for (let index = first; index <= last; index += 1) {
    const message = items[index];
    rows.push(
      <div
        key={message?.id ?? `placeholder-${index}`}
        className="absolute inset-x-0"
        style={{ top: index * ROW_HEIGHT }}
      >
        {message ? (
          <MessageRow
            message={message}
            index={index}
            setSize={rowCount}
            isCursor={message.id === cursorId}
            isOpen={message.id === openId}
            showRecipient={showRecipient}
            onOpen={onOpen}
            onToggleStar={onToggleStar}
            checked={isChecked?.(message.id) ?? false}
            onCheck={onCheck}
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
      aria-activedescendant={cursorId ? `message-${cursorId}` : undefined}
      tabIndex={0}
      onKeyDown={move}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      className="relative min-h-0 flex-1 overflow-y-auto overscroll-contain focus-visible:outline-offset-[-2px]"
      data-testid="message-list"
      data-total={list.total}
    >
      <div style={{ height: rowCount * ROW_HEIGHT }} className="relative">
        {rows}
      </div>
    </div>
  );
}

function MessageRow({
  message,
  index,
  setSize,
  isCursor,
  isOpen,
  showRecipient,
  onOpen,
  onToggleStar,
  checked,
  onCheck,
}: {
  message: MessageSummary;
  index: number;
  setSize: number;
  isCursor: boolean;
  isOpen: boolean;
  showRecipient: boolean;
  onOpen: (message: MessageSummary) => void;
  onToggleStar: (message: MessageSummary) => void;
  checked: boolean;
  onCheck?: (message: MessageSummary, range: boolean) => void;
}) {
  const who = showRecipient
    ? `To: ${message.to.map((address) => displayName(address)).join(', ') || '(no recipient)'}`
    : displayName(message.from[0]);
  const unread = !message.seen;
  return (
    <div
      id={`message-${message.id}`}
      role="option"
      aria-selected={isCursor}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      // Named from its content (what the row shows, with the marks as words before it), so the
      // name and the visible text never differ (WCAG 2.5.3).
      draggable
      onDragStart={(event) => {
        event.dataTransfer.setData(MESSAGE_DRAG_TYPE, message.id);
        event.dataTransfer.setData('text/plain', message.subject);
        event.dataTransfer.effectAllowed = 'move';
      }}
      onClick={() => onOpen(message)}
      data-testid="message-row"
      data-unread={unread ? 'true' : 'false'}
      aria-checked={onCheck ? checked : undefined}
      data-checked={checked ? 'true' : 'false'}
      className={`flex cursor-pointer gap-2 border-b border-slate-100 px-3 py-2.5 ${
        isOpen || checked ? 'bg-brand-50' : isCursor ? 'bg-slate-100' : unread ? 'bg-white' : 'bg-slate-50/60'
      } ${isCursor ? 'shadow-[inset_3px_0_0_var(--color-brand-600)]' : ''} hover:bg-slate-100`}
      style={{ height: ROW_HEIGHT }}
    >
      <span className="sr-only">
        {`${unread ? 'Unread, ' : ''}${message.flagged ? 'starred, ' : ''}${message.hasAttachments ? 'has attachments, ' : ''}`}
      </span>
      {onCheck ? <RowCheckbox message={message} checked={checked} onCheck={onCheck} /> : null}
      <span className="mt-1.5 w-2 shrink-0" aria-hidden="true">
        {unread ? <span className="block h-2 w-2 rounded-full bg-brand-600" /> : null}
      </span>
      <div className="min-w-0 flex-1">
        <div className="flex items-center gap-2">
          <span
            className={`min-w-0 flex-1 truncate text-sm ${unread ? 'font-bold text-slate-900' : 'text-slate-700'}`}
          >
            {who}
          </span>
          {message.answered ? <Icon name="reply" className="h-4 w-4 text-slate-400" /> : null}
          {message.hasAttachments ? (
            <Icon name="paperclip" className="h-4 w-4 text-slate-500" data-testid="attachment-mark" />
          ) : null}
          <time dateTime={message.date} className="shrink-0 text-xs text-slate-600">
            {formatListDate(message.date)}
          </time>
        </div>
        <div className="flex items-center gap-2">
          <p
            className={`min-w-0 flex-1 truncate text-sm ${unread ? 'font-semibold text-slate-900' : 'text-slate-800'}`}
          >
            {message.subject || '(no subject)'}
          </p>
          {/* A pointer shortcut only: an option may hold no control. The keyboard stars with s,
              and the reading pane has a Star button. */}
          <span
            aria-hidden="true"
            onClick={(event) => {
              event.stopPropagation();
              onToggleStar(message);
            }}
            title={message.flagged ? 'Remove star' : 'Star'}
            data-testid="row-star"
            className={`cursor-pointer rounded p-0.5 ${message.flagged ? 'text-amber-500' : 'text-slate-300 hover:text-slate-500'}`}
          >
            <Icon name="star" filled={message.flagged} className="h-4 w-4" />
          </span>
        </div>
        <p className="truncate text-xs text-slate-600">{message.snippet}</p>
      </div>
    </div>
  );
}

/**
 * Ticks the row for a bulk action; shift-click ticks the range from the last one ticked. Not a
 * focusable control: an option may hold none (axe nested-interactive). The keyboard ticks the
 * row at the cursor with x; the row says "checked" itself (aria-checked).
 */
function RowCheckbox({
  message,
  checked,
  onCheck,
}: {
  message: MessageSummary;
  checked: boolean;
  onCheck: (message: MessageSummary, range: boolean) => void;
}) {
  return (
    <span
      role="checkbox"
      aria-checked={checked}
      aria-label={`Select ${message.subject || '(no subject)'}`}
      onClick={(event) => {
        event.stopPropagation();
        onCheck(message, event.shiftKey);
      }}
      // a shift-click selects rows, not the text between them
      onMouseDown={(event) => event.shiftKey && event.preventDefault()}
      className={`mt-1 flex h-4 w-4 shrink-0 cursor-pointer items-center justify-center rounded border ${
        checked
          ? 'border-brand-700 bg-brand-700 text-white'
          : 'border-slate-400 bg-white hover:border-slate-600'
      }`}
      data-testid="row-checkbox"
    >
      {checked ? (
        <svg viewBox="0 0 16 16" className="h-3 w-3" aria-hidden="true">
          <path d="M3 8.5l3 3 7-7" fill="none" stroke="currentColor" strokeWidth="2.2" />
        </svg>
      ) : null}
    </span>
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
