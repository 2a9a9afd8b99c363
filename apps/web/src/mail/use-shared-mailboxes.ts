'use client';
// The folders other users share with the user, re-read when something may have changed their
// counts, and now and then: mail delivered into a shared folder that is not open comes on its
// owner's feed, which the browser follows only for the open folder.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Mailbox } from '@/client/api-types';
import { fetchSharedMailboxes } from './sharing-operations';

/** Changes come in bursts: one read for each burst. */
const REFRESH_DELAY_MS = 250;
/** How often the shared folders' counts are re-read without a change seen. */
const POLL_MS = 30_000;

export function useSharedMailboxes() {
  const [shared, setShared] = useState<Mailbox[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const load = useCallback(() => {
    fetchSharedMailboxes()
      .then(setShared)
      // the list stays as it was until the next read
      .catch(() => undefined);
  }, []);

  const refreshShared = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(load, REFRESH_DELAY_MS);
  }, [load]);

  useEffect(() => {
    load();
    const poll = setInterval(load, POLL_MS);
    return () => {
      clearInterval(poll);
      clearTimeout(timer.current);
    };
  }, [load]);

  return { shared, refreshShared };
}
