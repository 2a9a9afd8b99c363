'use client';
// The conversation open in the reading pane: its messages, re-read when live changes touch the
// mailbox, and which of them is open (the newest, until the user opens another). Opening a
// conversation marks its unread messages read, as opening a message does.
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '@/client/graphql';
import { setFlags } from './operations';
import { fetchThread, type ThreadDetail } from './thread-operations';

export interface OpenThreadState {
  thread: ThreadDetail | null;
  status: 'loading' | 'ready' | 'gone' | 'error';
  error: string | null;
}

export function useOpenThread(mailboxId: string | null, threadId: string | null) {
  const [state, setState] = useState<OpenThreadState>({ thread: null, status: 'loading', error: null });
  const [chosenId, setChosenId] = useState<string | null>(null);
  const generation = useRef(0);
  const markedRead = useRef(new Set<string>());

  const load = useCallback(
    async (fresh: boolean) => {
      const current = ++generation.current;
      if (!mailboxId || !threadId) return;
      if (fresh) setState({ thread: null, status: 'loading', error: null });
      try {
        const thread = await fetchThread(mailboxId, threadId);
        if (current !== generation.current) return;
        setState(
          thread ? { thread, status: 'ready', error: null } : { thread: null, status: 'gone', error: null },
        );
        const unread = (thread?.messages ?? []).filter(
          (message) => !message.seen && !markedRead.current.has(message.id),
        );
        if (fresh && unread.length) {
          for (const message of unread) markedRead.current.add(message.id);
          // the live FLAGS changes then refresh the list and this conversation
          void setFlags(
            unread.map((message) => message.id),
            ['\\Seen'],
          ).catch(() => undefined);
        }
      } catch (error) {
        if (current !== generation.current) return;
        if (fresh) setState({ thread: null, status: 'error', error: describeError(error) });
      }
    },
    [mailboxId, threadId],
  );

  useEffect(() => {
    setChosenId(null);
    markedRead.current = new Set();
    void load(true);
  }, [load]);

  const messages = state.thread?.messages ?? [];
  // the message the user opened while it is there, else the newest
  const open = messages.find((message) => message.id === chosenId) ?? messages.at(-1);

  return {
    ...state,
    open,
    /** Opens one of the conversation's messages (the one open before collapses). */
    choose: setChosenId,
    /** Re-reads the conversation (a live change in its mailbox). */
    refresh: useCallback(() => void load(false), [load]),
    retry: useCallback(() => void load(true), [load]),
  };
}

export type OpenThreadModel = ReturnType<typeof useOpenThread>;
