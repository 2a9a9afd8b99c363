'use client';
// A conversation in the reading pane: its messages oldest first, each collapsed to a line
// (sender, date, snippet) but one: the open message, shown whole by the reading pane with its
// actions (open-message-pane.tsx, as in the message view). The newest is open at first; a click
// or Enter on a collapsed one opens it instead.
import type { MessageSummary } from '@/client/api-types';
import { Icon } from '@/components/icons';
import { displayName, formatListDate } from '@/shared/format';
import { OpenMessagePane, type OpenMessageHandlers } from './open-message-pane';
import type { OpenThreadModel } from './use-open-thread';

export function ConversationPane({
  thread: model,
  ...handlers
}: {
  thread: OpenThreadModel;
} & OpenMessageHandlers) {
  const { onClose } = handlers;
  const { thread, open } = model;
  if (!thread || !open) {
    return (
      <section
        aria-label="Conversation"
        className="flex min-h-0 flex-1 flex-col bg-white"
        data-testid="conversation-pane"
      >
        <div className="flex items-center gap-2 border-b border-slate-200 px-2 py-1.5">
          <button
            type="button"
            onClick={onClose}
            aria-label="Back to the list"
            className="rounded-md p-2 text-slate-700 hover:bg-slate-100 lg:hidden"
          >
            <Icon name="back" />
          </button>
        </div>
        {model.status === 'loading' ? (
          <div className="m-6 animate-pulse space-y-3" role="status" aria-label="Loading the conversation">
            <div className="h-3 w-3/4 rounded bg-slate-200" />
            <div className="h-3 w-2/3 rounded bg-slate-200" />
          </div>
        ) : (
          <div
            role="alert"
            className="m-4 rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900"
          >
            <p>
              {model.status === 'gone'
                ? 'This conversation has no messages left in this folder.'
                : model.error}
            </p>
            {model.status === 'error' ? (
              <button type="button" onClick={model.retry} className="mt-2 font-semibold underline">
                Try again
              </button>
            ) : null}
          </div>
        )}
      </section>
    );
  }

  const index = thread.messages.findIndex((message) => message.id === open.id);
  const before = thread.messages.slice(0, index);
  const after = thread.messages.slice(index + 1);
  const count = thread.messages.length;

  return (
    <section
      aria-labelledby="conversation-subject"
      className="flex min-h-0 flex-1 flex-col bg-white"
      data-testid="conversation-pane"
      data-count={count}
    >
      <div className="flex items-center gap-2 border-b border-slate-200 py-1.5 pr-4 pl-2 lg:pl-4">
        <button
          type="button"
          onClick={onClose}
          aria-label="Back to the conversations"
          className="rounded-md p-2 text-slate-700 hover:bg-slate-100 lg:hidden"
        >
          <Icon name="back" />
        </button>
        <h2 id="conversation-subject" className="min-w-0 flex-1 truncate font-semibold text-slate-900">
          {thread.subject || '(no subject)'}
        </h2>
        <span className="shrink-0 text-xs text-slate-600">
          {count === 1 ? '1 message' : `${count} messages`}
        </span>
      </div>
      {before.length ? (
        <Collapsed messages={before} onOpen={model.choose} className="max-h-[40%] border-b" />
      ) : null}
      <OpenMessagePane message={open} {...handlers} />
      {after.length ? (
        <Collapsed messages={after} onOpen={model.choose} className="max-h-[30%] border-t" />
      ) : null}
    </section>
  );
}

function Collapsed({
  messages,
  onOpen,
  className,
}: {
  messages: MessageSummary[];
  onOpen: (id: string) => void;
  className: string;
}) {
  return (
    <ol aria-label="Collapsed messages" className={`shrink-0 overflow-y-auto border-slate-200 ${className}`}>
      {messages.map((message) => (
        <li key={message.id} className="border-b border-slate-100 last:border-b-0">
          <button
            type="button"
            onClick={() => onOpen(message.id)}
            aria-expanded={false}
            className="flex w-full items-baseline gap-2 px-4 py-2 text-left hover:bg-slate-50"
            data-testid="collapsed-message"
          >
            <span
              className={`max-w-[40%] shrink-0 truncate text-sm ${message.seen ? 'text-slate-800' : 'font-bold text-slate-900'}`}
            >
              {message.seen ? null : <span className="sr-only">Unread, </span>}
              {displayName(message.from[0])}
              <span className="sr-only">:</span>
            </span>
            <span className="min-w-0 flex-1 truncate text-sm text-slate-600">{message.snippet}</span>
            <time dateTime={message.date} className="shrink-0 text-xs text-slate-600">
              {formatListDate(message.date)}
            </time>
          </button>
        </li>
      ))}
    </ol>
  );
}
