'use client';
// Applies the live feed to what the screen shows: the open folder's list (new mail on top,
// expunged messages out, flags changed elsewhere) and the folders' counts.
import { useCallback, useRef } from 'react';
import type { MailboxChange } from '@/client/api-types';
import { useLiveChanges, type LiveStatus } from './use-live-changes';
import { withFlags, type MessageListModel } from './use-message-list';

/** Several messages delivered at once arrive as several EXISTS: one re-read for all of them. */
const TOP_REFRESH_DELAY_MS = 60;

export function useLiveListUpdates({
  currentId,
  list,
  refreshMailboxes,
  onCurrentFolderDeleted,
}: {
  /** The folder whose list is shown. */
  currentId: string | null;
  list: MessageListModel;
  refreshMailboxes: () => void;
  onCurrentFolderDeleted: () => void;
}): LiveStatus {
  const topTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const { refreshTop, removeWhere, updateWhere } = list;
  const onChange = useCallback(
    (change: MailboxChange) => {
      if (change.mailboxId === currentId) {
        if (change.type === 'EXISTS') {
          clearTimeout(topTimer.current);
          topTimer.current = setTimeout(() => void refreshTop(), TOP_REFRESH_DELAY_MS);
        } else if (change.type === 'EXPUNGE') {
          removeWhere((message) => message.uid === change.uid);
        } else if (change.type === 'FLAGS' && change.flags) {
          const flags = change.flags;
          updateWhere(
            (message) => message.uid === change.uid,
            (message) => withFlags(message, flags),
          );
        }
      }
      if (change.type === 'MAILBOX_DELETED' && change.mailboxId === currentId) onCurrentFolderDeleted();
      // any change may move a folder's counts
      refreshMailboxes();
    },
    [currentId, refreshTop, removeWhere, updateWhere, refreshMailboxes, onCurrentFolderDeleted],
  );
  // What arrived between the page's first read and the feed being up (or while it was down).
  const onConnected = useCallback(() => {
    refreshMailboxes();
    void refreshTop();
  }, [refreshMailboxes, refreshTop]);
  // the user's feed carries the changes of the folders others share with them too
  return useLiveChanges(onChange, onConnected);
}
