'use client';
// The keyboard cursor and the open message. They are kept apart: j/k move the cursor through the
// list while the reading pane stays closed, and opening a message puts the cursor on it too.
import { useState } from 'react';
import type { MessageSummary } from '@/client/api-types';
import type { MessageListModel } from './use-message-list';

export function useMessageSelection({ items, removeWhere }: Pick<MessageListModel, 'items' | 'removeWhere'>) {
  const [cursorId, setCursorId] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const opened = openId ? items.find((item) => item.id === openId) : undefined;
  const pointed = cursorId ? items.find((item) => item.id === cursorId) : undefined;

  return {
    cursorId,
    openId,
    setCursorId,
    setOpenId,
    /** The message in the reading pane, while it is in the list. */
    opened,
    /** The message under the cursor. */
    pointed,
    /** What a shortcut acts on: the open message, else the one under the cursor. */
    target: opened ?? pointed,

    /** Nothing selected: another folder or search is about to fill the list. */
    clear: () => {
      setOpenId(null);
      setCursorId(null);
    },

    /** The message `delta` rows from the cursor, held at the ends of the list. */
    neighbour: (delta: number): MessageSummary | undefined => {
      if (!items.length) return undefined;
      const index = cursorId ? items.findIndex((item) => item.id === cursorId) : -1;
      return items[Math.min(items.length - 1, Math.max(0, index + delta))];
    },

    /** After a message leaves the list, the cursor goes to its neighbour and the pane closes. */
    leave: (message: MessageSummary) => {
      const index = items.findIndex((item) => item.id === message.id);
      const neighbour = items[index + 1] ?? items[index - 1];
      removeWhere((item) => item.id === message.id);
      setCursorId(neighbour?.id ?? null);
      if (openId === message.id) setOpenId(null);
    },
  };
}

export type MessageSelection = ReturnType<typeof useMessageSelection>;
