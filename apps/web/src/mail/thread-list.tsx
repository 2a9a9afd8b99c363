'use client';
// The conversation list: one row per conversation in the virtualised listbox (virtual-listbox.tsx)
// that the message list uses too.
import { Icon } from '@/components/icons';
import { displayName, formatListDate } from '@/shared/format';
import type { ThreadSummary } from './thread-operations';
import { optionRowClassName, ROW_HEIGHT, VirtualListbox, type MailListProps } from './virtual-listbox';

/** Start loading the next page this many rows before the loaded ones run out. */
const PREFETCH_ROWS = 40;

/** Who wrote, shortest first: first names when several, the whole name when one. */
export function participantsText(thread: ThreadSummary): string {
  const names = thread.participants.map((participant) => displayName(participant));
  if (names.length <= 1) return names[0] ?? displayName(thread.latest.from[0]);
  return names.map((name) => name.split(/\s+/)[0]).join(', ');
}

/** A conversation's row id, which the listbox's aria-activedescendant names for the cursor. */
const optionId = (id: string) => `thread-${id}`;

export function ThreadList({ openId, ...listbox }: MailListProps<ThreadSummary>) {
  return (
    <VirtualListbox
      {...listbox}
      noun="conversations"
      optionId={optionId}
      testId="thread-list"
      prefetchRows={PREFETCH_ROWS}
      renderRow={(thread, index, setSize) => (
        <ThreadRow
          thread={thread}
          index={index}
          setSize={setSize}
          isCursor={thread.id === listbox.cursorId}
          isOpen={thread.id === openId}
          onOpen={listbox.onOpen}
        />
      )}
    />
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
      id={optionId(thread.id)}
      role="option"
      aria-selected={isCursor}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      onClick={() => onOpen(thread)}
      data-testid="thread-row"
      data-unread={unread ? 'true' : 'false'}
      data-count={count}
      className={optionRowClassName({ highlighted: isOpen, isCursor, unread })}
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
