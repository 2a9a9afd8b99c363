'use client';
// Conversation mode of the webmail: the conversation list, its keyboard cursor, the open
// conversation, and the live feed's changes applied to both (through the message list's model,
// which use-live-list-updates.ts drives).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ThreadSummary } from './thread-operations';
import type { MessageListModel } from './use-message-list';
import { useOpenThread } from './use-open-thread';
import { useThreadList } from './use-thread-list';

/** Several changes at once (a delivery to many, a flag on many) make one re-read. */
const REFRESH_DELAY_MS = 80;

export function useConversations({
  mailboxId,
  searchText,
  list,
}: {
  /** The folder shown, null when the list shows single messages. */
  mailboxId: string | null;
  searchText: string;
  list: MessageListModel;
}) {
  const threads = useThreadList(mailboxId, searchText);
  const [cursorId, setCursorId] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const openThread = useOpenThread(mailboxId, openId);

  // another folder, search or mode: nothing selected
  useEffect(() => {
    setCursorId(null);
    setOpenId(null);
  }, [mailboxId, searchText]);

  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const { refreshTop: refreshThreads } = threads;
  const { refresh: refreshOpen } = openThread;
  const scheduleRefresh = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      void refreshThreads();
      refreshOpen();
    }, REFRESH_DELAY_MS);
  }, [refreshThreads, refreshOpen]);
  useEffect(() => () => clearTimeout(timer.current), []);

  // The message list's model as the live feed sees it: every change it applies to the list also
  // re-reads the conversations (a new message joins one; a flag or an expunge changes its marks).
  const { refreshTop, removeWhere, updateWhere } = list;
  const liveList = useMemo<MessageListModel>(
    () => ({
      ...list,
      refreshTop: async () => {
        scheduleRefresh();
        await refreshTop();
      },
      removeWhere: (predicate) => {
        removeWhere(predicate);
        scheduleRefresh();
      },
      updateWhere: (predicate, update) => {
        updateWhere(predicate, update);
        scheduleRefresh();
      },
    }),
    // `list` itself changes with every state change; only its operations matter here
    [refreshTop, removeWhere, updateWhere, scheduleRefresh],
  );

  return {
    threads,
    cursorId,
    openId,
    openThread,
    liveList,
    setCursor: (thread: ThreadSummary) => setCursorId(thread.id),
    open: (thread: ThreadSummary) => {
      setCursorId(thread.id);
      setOpenId(thread.id);
    },
    close: () => setOpenId(null),
    clear: () => {
      setCursorId(null);
      setOpenId(null);
    },
  };
}

export type ConversationsModel = ReturnType<typeof useConversations>;
