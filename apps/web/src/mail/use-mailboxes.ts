'use client';
// The user's folders, in display order, re-read when something may have changed their counts.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Mailbox } from '@/client/api-types';
import { sortMailboxes } from './mailbox-order';
import { fetchMailboxes } from './operations';

/** Changes come in bursts (a live feed catching up, a move of many messages): one read for each burst. */
const REFRESH_DELAY_MS = 250;

export function useMailboxes(initialMailboxes: Mailbox[]) {
  const [mailboxes, setMailboxes] = useState(() => sortMailboxes(initialMailboxes));

  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const refreshMailboxes = useCallback(() => {
    clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(() => {
      fetchMailboxes()
        .then((fresh) => setMailboxes(sortMailboxes(fresh)))
        // the counts stay as they were until the next change re-reads them
        .catch(() => undefined);
    }, REFRESH_DELAY_MS);
  }, []);
  useEffect(() => () => clearTimeout(refreshTimer.current), []);

  /** Puts a folder made here in its place at once, before the live feed reports it. */
  const addMailbox = useCallback((mailbox: Mailbox) => {
    setMailboxes((known) => sortMailboxes([...known.filter((other) => other.id !== mailbox.id), mailbox]));
  }, []);

  return { mailboxes, refreshMailboxes, addMailbox };
}
