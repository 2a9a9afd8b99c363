'use client';
// The right column: the open message in the reading pane, or a hint while none is open. At
// phone and tablet width it takes the screen while a message is open, and is hidden otherwise.
import type { ReactNode } from 'react';
import type { Mailbox, Message, MessageSummary } from '@/client/api-types';
import { Icon } from '@/components/icons';
import { ReadingPane, type MessageAction } from './reading-pane';

export function ReaderColumn({
  opened,
  mailboxes,
  currentMailbox,
  onAction,
  onMove,
  onClose,
  onLoaded,
  conversation,
}: {
  opened: MessageSummary | undefined;
  mailboxes: Mailbox[];
  currentMailbox: Mailbox | undefined;
  onAction: (action: MessageAction, message: MessageSummary) => void;
  onMove: (message: MessageSummary, mailboxId: string) => void;
  onClose: () => void;
  onLoaded: (message: Message) => void;
  /** In conversation mode, the open conversation (conversation-pane.tsx), shown instead. */
  conversation?: ReactNode;
}) {
  return (
    <div className={`${opened || conversation ? 'flex' : 'hidden lg:flex'} min-w-0 flex-1 flex-col`}>
      {conversation ? (
        conversation
      ) : opened ? (
        <ReadingPane
          // a fresh pane for each message, so nothing of the previous one (its loaded body, an
          // error, the remote-images choice) carries over
          key={opened.id}
          summary={opened}
          mailboxes={mailboxes}
          currentMailbox={currentMailbox}
          onAction={(action) => onAction(action, opened)}
          onMove={(mailboxId) => onMove(opened, mailboxId)}
          onClose={onClose}
          onLoaded={onLoaded}
        />
      ) : (
        <div className="flex flex-1 flex-col items-center justify-center gap-2 bg-slate-50 p-8 text-center text-slate-600">
          <Icon name="mail" className="h-12 w-12 text-slate-300" />
          <p>Select a message to read it.</p>
          <p className="text-sm">
            Press <kbd className="rounded border border-slate-300 bg-white px-1 font-mono">?</kbd> for
            keyboard shortcuts.
          </p>
        </div>
      )}
    </div>
  );
}
