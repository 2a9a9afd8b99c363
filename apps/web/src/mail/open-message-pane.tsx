'use client';
// The open message in the reading pane, as both the message view (reader-column.tsx) and the
// conversation view (conversation-pane.tsx) show it: the pane's actions and moves are handed on
// with the message they are about, and each message gets a fresh pane. Written once so the two
// views cannot drift apart in how an open message behaves.
import type { Mailbox, Message, MessageSummary } from '@/client/api-types';
import { ReadingPane, type MessageAction } from './reading-pane';

/** What the webmail hands to whichever view shows the open message. */
export interface OpenMessageHandlers {
  mailboxes: Mailbox[];
  currentMailbox: Mailbox | undefined;
  onAction: (action: MessageAction, message: MessageSummary) => void;
  onMove: (message: MessageSummary, mailboxId: string) => void;
  onClose: () => void;
  onLoaded: (message: Message) => void;
}

export function OpenMessagePane({
  message,
  mailboxes,
  currentMailbox,
  onAction,
  onMove,
  onClose,
  onLoaded,
}: { message: MessageSummary } & OpenMessageHandlers) {
  return (
    <ReadingPane
      // a fresh pane for each message, so nothing of the previous one (its loaded body, an
      // error, the remote-images choice) carries over
      key={message.id}
      summary={message}
      mailboxes={mailboxes}
      currentMailbox={currentMailbox}
      onAction={(action) => onAction(action, message)}
      onMove={(mailboxId) => onMove(message, mailboxId)}
      onClose={onClose}
      onLoaded={onLoaded}
    />
  );
}
