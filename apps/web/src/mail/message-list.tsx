'use client';
// The message list: one row per message (draggable to a folder, with a star and a bulk-selection
// tick) in the virtualised listbox (virtual-listbox.tsx) that the conversation list uses too.
import type { MessageSummary } from '@/client/api-types';
import { Icon } from '@/components/icons';
import { displayName, formatListDate } from '@/shared/format';
import { MESSAGE_DRAG_TYPE } from './folder-list';
import { optionRowClassName, ROW_HEIGHT, VirtualListbox, type MailListProps } from './virtual-listbox';

/** Start loading the next page this many rows before the loaded ones run out. */
const PREFETCH_ROWS = 60;

/** A message's row id, which the listbox's aria-activedescendant names for the cursor. */
const optionId = (id: string) => `message-${id}`;

export function MessageList({
  openId,
  showRecipient,
  onToggleStar,
  isChecked,
  onCheck,
  ...listbox
}: MailListProps<MessageSummary> & {
  /** In Sent and Drafts the list names the recipient rather than the sender. */
  showRecipient: boolean;
  /** Absent where the user may not change flags (a folder shared with them read only). */
  onToggleStar?: (message: MessageSummary) => void;
  /** Bulk selection (use-bulk-selection.ts): whether a row is ticked, and ticking one (`range`: shift-click). */
  isChecked?: (id: string) => boolean;
  onCheck?: (message: MessageSummary, range: boolean) => void;
}) {
  return (
    <VirtualListbox
      {...listbox}
      noun="messages"
      optionId={optionId}
      testId="message-list"
      prefetchRows={PREFETCH_ROWS}
      renderRow={(message, index, setSize) => (
        <MessageRow
          message={message}
          index={index}
          setSize={setSize}
          isCursor={message.id === listbox.cursorId}
          isOpen={message.id === openId}
          showRecipient={showRecipient}
          onOpen={listbox.onOpen}
          onToggleStar={onToggleStar}
          checked={isChecked?.(message.id) ?? false}
          onCheck={onCheck}
        />
      )}
    />
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
  /** Absent where the user may not change flags (a folder shared with them read only). */
  onToggleStar?: (message: MessageSummary) => void;
  checked: boolean;
  onCheck?: (message: MessageSummary, range: boolean) => void;
}) {
  const who = showRecipient
    ? `To: ${message.to.map((address) => displayName(address)).join(', ') || '(no recipient)'}`
    : displayName(message.from[0]);
  const unread = !message.seen;
  return (
    <div
      id={optionId(message.id)}
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
      className={optionRowClassName({ highlighted: isOpen || checked, isCursor, unread })}
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
              if (!onToggleStar) return;
              event.stopPropagation();
              onToggleStar(message);
            }}
            title={onToggleStar ? (message.flagged ? 'Remove star' : 'Star') : undefined}
            data-testid="row-star"
            className={`${onToggleStar ? 'cursor-pointer' : ''} rounded p-0.5 ${message.flagged ? 'text-amber-500' : 'text-slate-300 hover:text-slate-500'}`}
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
