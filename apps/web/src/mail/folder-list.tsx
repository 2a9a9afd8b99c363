'use client';
// The folder list: each folder with its icon and unread count; the current one marked; a drop
// target for messages dragged from the list.
import { useState, type DragEvent } from 'react';
import type { Mailbox } from '@/client/api-types';
import { Icon } from '@/components/icons';
import { mailboxIcon, mailboxLabel } from './mailbox-order';

/** The drag data type of a message row (its id). */
export const MESSAGE_DRAG_TYPE = 'application/x-wildduck-message';

export function FolderList({
  mailboxes,
  currentId,
  onSelect,
  onDropMessage,
  onCreateFolder,
}: {
  mailboxes: Mailbox[];
  currentId: string | null;
  onSelect: (id: string) => void;
  onDropMessage: (messageId: string, mailboxId: string) => void;
  onCreateFolder: () => void;
}) {
  const [dropTarget, setDropTarget] = useState<string | null>(null);

  const dragOver = (event: DragEvent, mailbox: Mailbox) => {
    if (mailbox.id === currentId || !event.dataTransfer.types.includes(MESSAGE_DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    setDropTarget(mailbox.id);
  };
  const drop = (event: DragEvent, mailbox: Mailbox) => {
    const messageId = event.dataTransfer.getData(MESSAGE_DRAG_TYPE);
    setDropTarget(null);
    if (!messageId) return;
    event.preventDefault();
    onDropMessage(messageId, mailbox.id);
  };

  return (
    <nav aria-label="Folders" className="flex flex-col gap-0.5">
      <ul className="flex flex-col gap-0.5" data-testid="folder-list">
        {mailboxes.map((mailbox) => {
          const current = mailbox.id === currentId;
          const label = mailboxLabel(mailbox);
          return (
            <li key={mailbox.id}>
              <button
                type="button"
                onClick={() => onSelect(mailbox.id)}
                onDragOver={(event) => dragOver(event, mailbox)}
                onDragLeave={() => setDropTarget((target) => (target === mailbox.id ? null : target))}
                onDrop={(event) => drop(event, mailbox)}
                aria-current={current ? 'page' : undefined}
                aria-label={mailbox.unseen ? `${label}, ${mailbox.unseen} unread` : label}
                data-mailbox={mailbox.path}
                className={`flex w-full items-center gap-3 rounded-lg px-3 py-2 text-left text-sm ${
                  dropTarget === mailbox.id
                    ? 'bg-brand-100 ring-2 ring-brand-500'
                    : current
                      ? 'bg-brand-50 font-semibold text-brand-900'
                      : 'text-slate-700 hover:bg-slate-100'
                }`}
              >
                <Icon name={mailboxIcon(mailbox)} className="h-5 w-5 shrink-0 text-slate-500" />
                <span className="min-w-0 flex-1 truncate" title={mailbox.path}>
                  {label}
                </span>
                {/* The space keeps the count a word of its own in the visible text, which the name
                    ("Inbox, 3 unread") must contain (WCAG 2.5.3, label in name). */}{' '}
                {mailbox.unseen > 0 ? (
                  <span
                    className="rounded-full bg-brand-700 px-2 py-0.5 text-xs font-semibold text-white"
                    data-testid="unread-count"
                    aria-hidden="true"
                  >
                    {mailbox.unseen > 9999 ? '9999+' : mailbox.unseen}
                  </span>
                ) : null}
              </button>
            </li>
          );
        })}
      </ul>
      <button
        type="button"
        onClick={onCreateFolder}
        className="mt-2 flex items-center gap-3 rounded-lg px-3 py-2 text-left text-sm text-slate-600 hover:bg-slate-100"
      >
        <Icon name="plus" className="h-5 w-5 text-slate-500" />
        New folder
      </button>
    </nav>
  );
}
