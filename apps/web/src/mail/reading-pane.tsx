'use client';
// The reading pane: the open message's headers, its body (sanitised HTML in a sandboxed frame,
// else the text), a switch for remote images, the attachments to download, and the actions.
import { useEffect, useState } from 'react';
import type { Mailbox, Message, MessageSummary } from '@/client/api-types';
import { describeError, proxiedFileUrl } from '@/client/graphql';
import { Icon, type IconName } from '@/components/icons';
import { displayName, formatAddress, formatBytes, formatFullDate } from '@/shared/format';
import { MessageFrame } from './message-frame';
import { MoveMenu } from './move-menu';
import { fetchMessage } from './operations';
import { mayDo } from './sharing-operations';

export type MessageAction =
  | 'reply'
  | 'replyAll'
  | 'forward'
  | 'archive'
  | 'delete'
  | 'spam'
  | 'toggleSeen'
  | 'toggleStar'
  | 'editDraft';

export function ReadingPane({
  summary,
  mailboxes,
  currentMailbox,
  onAction,
  onMove,
  onClose,
  onLoaded,
}: {
  summary: MessageSummary;
  mailboxes: Mailbox[];
  currentMailbox: Mailbox | undefined;
  onAction: (action: MessageAction, message: Message | null) => void;
  onMove: (mailboxId: string) => void;
  onClose: () => void;
  onLoaded: (message: Message) => void;
}) {
  const [message, setMessage] = useState<Message | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [remoteContent, setRemoteContent] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const id = summary.id;

  useEffect(() => {
    setRemoteContent(false);
  }, [id]);

  useEffect(() => {
    let current = true;
    setError(null);
    fetchMessage(id, remoteContent)
      .then((loaded) => {
        if (!current) return;
        if (!loaded) {
          setMessage(null);
          setError('This message no longer exists: it was moved or deleted.');
          return;
        }
        setMessage(loaded);
        onLoaded(loaded);
      })
      .catch((failure: unknown) => {
        if (current) setError(describeError(failure));
      });
    return () => {
      current = false;
    };
    // onLoaded is left out on purpose: a fresh function each render must not reload the message
  }, [id, remoteContent, attempt]);

  const shown = message?.id === id ? message : null;
  const isDraft = summary.draft;
  // in a folder another user shares, only what the user's rights allow (RFC 4314): Move to (which
  // takes the message out of the folder) with t and e; Archive and Report spam, which file into
  // the user's own folders, only in their own
  const own = !currentMailbox?.shared;
  const mayDelete = mayDo(currentMailbox, 'te');
  const mayMove = mayDo(currentMailbox, 'rte');
  const maySee = mayDo(currentMailbox, 's');
  const mayStar = mayDo(currentMailbox, 'w');

  return (
    <article
      aria-labelledby="message-subject"
      className="flex min-h-0 flex-1 flex-col bg-white"
      data-testid="reading-pane"
    >
      <div
        role="toolbar"
        aria-label="Message actions"
        className="flex flex-wrap items-center gap-1 border-b border-slate-200 py-1.5 pr-3 pl-2"
      >
        <ToolButton icon="back" label="Back to the list" onClick={onClose} className="lg:hidden" />
        {isDraft ? (
          <ToolButton icon="pencil" label="Edit draft" text onClick={() => onAction('editDraft', shown)} />
        ) : (
          <>
            <ToolButton icon="reply" label="Reply" shortcut="r" onClick={() => onAction('reply', shown)} />
            <ToolButton
              icon="replyAll"
              label="Reply all"
              shortcut="a"
              onClick={() => onAction('replyAll', shown)}
            />
            <ToolButton
              icon="forward"
              label="Forward"
              shortcut="f"
              onClick={() => onAction('forward', shown)}
            />
          </>
        )}
        <span className="mx-1 h-6 w-px bg-slate-200" aria-hidden="true" />
        {own ? (
          <>
            <ToolButton
              icon="archive"
              label="Archive"
              shortcut="e"
              onClick={() => onAction('archive', shown)}
            />
            <ToolButton
              icon="junk"
              label="Report spam"
              shortcut="!"
              onClick={() => onAction('spam', shown)}
            />
          </>
        ) : null}
        {mayDelete ? (
          <ToolButton icon="trash" label="Delete" shortcut="#" onClick={() => onAction('delete', shown)} />
        ) : null}
        {maySee ? (
          <ToolButton
            icon={summary.seen ? 'mail' : 'mailOpen'}
            label={summary.seen ? 'Mark as unread' : 'Mark as read'}
            shortcut={summary.seen ? 'Shift+U' : 'Shift+I'}
            onClick={() => onAction('toggleSeen', shown)}
          />
        ) : null}
        {mayStar ? (
          <ToolButton
            icon="star"
            filled={summary.flagged}
            label={summary.flagged ? 'Remove star' : 'Star'}
            shortcut="s"
            pressed={summary.flagged}
            onClick={() => onAction('toggleStar', shown)}
          />
        ) : null}
        <div className={mayMove ? 'ml-auto' : 'hidden'}>
          <MoveMenu
            label="Move to folder"
            text="Move to"
            // icon only at phone width, as the other actions are
            textClassName="hidden sm:inline"
            mailboxes={mailboxes}
            currentMailbox={currentMailbox}
            onMove={onMove}
            align="right"
            testId="move-menu"
          />
        </div>
      </div>

      <div className="min-h-0 flex-1 overflow-y-auto px-4 py-4 sm:px-6">
        <h2 id="message-subject" className="text-xl font-semibold tracking-tight break-words text-slate-900">
          {summary.subject || '(no subject)'}
        </h2>
        <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm">
          <dt className="text-slate-600">From</dt>
          <dd className="break-words text-slate-900">
            <strong className="font-semibold">{displayName(summary.from[0])}</strong>{' '}
            {summary.from[0]?.name ? (
              <span className="text-slate-600">&lt;{summary.from[0].address}&gt;</span>
            ) : null}
          </dd>
          <dt className="text-slate-600">To</dt>
          <dd className="break-words text-slate-800">
            {(shown?.to ?? summary.to).map(formatAddress).join(', ') || '—'}
          </dd>
          {shown?.cc.length ? (
            <>
              <dt className="text-slate-600">Cc</dt>
              <dd className="break-words text-slate-800">{shown.cc.map(formatAddress).join(', ')}</dd>
            </>
          ) : null}
          <dt className="text-slate-600">Date</dt>
          <dd className="text-slate-800">
            <time dateTime={summary.date}>{formatFullDate(summary.date)}</time>
          </dd>
        </dl>

        {error ? (
          <div
            role="alert"
            className="mt-6 rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900"
          >
            <p>{error}</p>
            <button
              type="button"
              onClick={() => setAttempt((n) => n + 1)}
              className="mt-2 font-semibold underline"
            >
              Try again
            </button>
          </div>
        ) : !shown ? (
          <div className="mt-6 animate-pulse space-y-3" role="status" aria-label="Loading the message">
            <div className="h-3 w-3/4 rounded bg-slate-200" />
            <div className="h-3 w-2/3 rounded bg-slate-200" />
            <div className="h-3 w-1/2 rounded bg-slate-200" />
          </div>
        ) : (
          <>
            {shown.hasRemoteContent || remoteContent ? (
              <div className="mt-4 flex flex-wrap items-center gap-3 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-950">
                <span>
                  {remoteContent
                    ? 'Remote images are shown.'
                    : 'Remote images are blocked to protect your privacy.'}
                </span>
                <button
                  type="button"
                  role="switch"
                  aria-checked={remoteContent}
                  onClick={() => setRemoteContent((value) => !value)}
                  className="inline-flex items-center gap-2 font-semibold"
                >
                  <span
                    className={`relative inline-block h-5 w-9 rounded-full transition ${remoteContent ? 'bg-brand-700' : 'bg-slate-400'}`}
                    aria-hidden="true"
                  >
                    <span
                      className={`absolute top-0.5 h-4 w-4 rounded-full bg-white transition ${remoteContent ? 'left-4.5' : 'left-0.5'}`}
                    />
                  </span>
                  Show remote images
                </button>
              </div>
            ) : null}
            <div className="mt-5">
              {shown.html ? (
                <MessageFrame
                  html={shown.html}
                  remoteContent={remoteContent}
                  attachments={shown.attachments}
                />
              ) : (
                <pre
                  className="font-sans text-[15px] leading-relaxed whitespace-pre-wrap text-slate-900"
                  data-testid="message-text"
                >
                  {shown.text || '(This message has no text.)'}
                </pre>
              )}
            </div>
            <Attachments message={shown} />
          </>
        )}
      </div>
    </article>
  );
}

function Attachments({ message }: { message: Message }) {
  const files = message.attachments.filter(
    (attachment) => attachment.disposition !== 'inline' || !attachment.contentId,
  );
  if (!files.length) return null;
  return (
    <section aria-labelledby="attachments-title" className="mt-6 border-t border-slate-200 pt-4">
      <h3 id="attachments-title" className="text-sm font-semibold text-slate-800">
        {files.length === 1 ? '1 attachment' : `${files.length} attachments`}
      </h3>
      <ul className="mt-2 flex flex-wrap gap-2">
        {files.map((attachment) => (
          <li key={attachment.id}>
            <a
              href={proxiedFileUrl(attachment.downloadUrl)}
              download={attachment.filename ?? undefined}
              className="flex items-center gap-2 rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm text-slate-800 hover:bg-slate-50"
              data-testid="attachment-link"
            >
              <Icon name="download" className="h-4 w-4 text-slate-500" />
              <span className="max-w-56 truncate font-medium">{attachment.filename || 'attachment'}</span>
              <span className="text-slate-600">{formatBytes(attachment.size)}</span>
            </a>
          </li>
        ))}
      </ul>
      <p className="mt-3 text-xs">
        <a
          href={proxiedFileUrl(message.rawUrl)}
          download={`${message.subject || 'message'}.eml`}
          className="text-brand-700 underline"
        >
          Download the original message
        </a>
      </p>
    </section>
  );
}

function ToolButton({
  icon,
  label,
  shortcut,
  onClick,
  pressed,
  filled,
  text,
  className = '',
}: {
  icon: IconName;
  label: string;
  shortcut?: string;
  onClick: () => void;
  pressed?: boolean;
  filled?: boolean;
  text?: boolean;
  className?: string;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-label={label}
      aria-pressed={pressed}
      aria-keyshortcuts={shortcut}
      title={shortcut ? `${label} (${shortcut})` : label}
      className={`flex items-center gap-1.5 rounded-md p-2 text-sm text-slate-700 hover:bg-slate-100 ${filled ? 'text-amber-500' : ''} ${className}`}
    >
      <Icon name={icon} filled={filled} />
      {text ? <span className="font-medium">{label}</span> : null}
    </button>
  );
}
