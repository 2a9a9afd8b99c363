'use client';
// The folders other users share with the user, re-read when something may have changed their
// counts: the user's live feed (/api/events) carries the changes of the shared folders too (the
// API follows their owners' feeds), so no polling.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Mailbox } from '@/client/api-types';
import { fetchSharedMailboxes } from './sharing-operations';

/** Changes come in bursts: one read for each burst. */
const REFRESH_DELAY_MS = 250;

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
    return () => clearTimeout(timer.current);
  }, [load]);

  return { shared, refreshShared };
}
