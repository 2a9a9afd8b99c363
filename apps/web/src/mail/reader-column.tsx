'use client';
// The right column: the open message in the reading pane, or a hint while none is open. At
// phone and tablet width it takes the screen while a message is open, and is hidden otherwise.
import type { ReactNode } from 'react';
import type { MessageSummary } from '@/client/api-types';
import { Icon } from '@/components/icons';
import { OpenMessagePane, type OpenMessageHandlers } from './open-message-pane';

export function ReaderColumn({
  opened,
  conversation,
  ...handlers
}: {
  opened: MessageSummary | undefined;
  /** In conversation mode, the open conversation (conversation-pane.tsx), shown instead. */
  conversation?: ReactNode;
} & OpenMessageHandlers) {
  return (
    <div className={`${opened || conversation ? 'flex' : 'hidden lg:flex'} min-w-0 flex-1 flex-col`}>
      {conversation ? (
        conversation
      ) : opened ? (
        <OpenMessagePane message={opened} {...handlers} />
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
