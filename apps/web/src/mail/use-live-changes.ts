'use client';
// Live changes of the user's mailboxes from GET /api/events (Server-Sent Events that the web
// server fills from the API's mailboxChanges subscription). EventSource reconnects by itself
// and resumes after the last change it saw.
import { useEffect, useRef, useState } from 'react';
import type { MailboxChange } from '@/client/api-types';
import { endExpiredSession } from '@/client/graphql';

/** Wait before opening a new feed after the server refused one. */
const RETRY_MS = 3_000;

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

/**
 * Calls `onChange` for every change, and `onConnected` each time the feed (re)connects, so the
 * caller can re-read what may have changed while it was down; answers whether the feed is up.
 * `mailboxId`: follow only that folder (one another user shares: its owner's feed); null: follow
 * nothing; absent: every folder of the user.
 */
export function useLiveChanges(
  onChange: (change: MailboxChange) => void,
  onConnected: () => void,
  mailboxId?: string | null,
): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handler = useRef(onChange);
  const connected = useRef(onConnected);
  useEffect(() => {
    handler.current = onChange;
    connected.current = onConnected;
  }, [onChange, onConnected]);

  useEffect(() => {
    if (mailboxId === null) return;
    const url = mailboxId ? `/api/events?mailbox=${encodeURIComponent(mailboxId)}` : '/api/events';
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const connect = () => {
      const current = new EventSource(url);
      source = current;
      current.addEventListener('ready', () => {
        setStatus('live');
        connected.current();
      });
      current.addEventListener('change', (event) => {
        setStatus('live');
        try {
          handler.current(JSON.parse((event as MessageEvent<string>).data) as MailboxChange);
        } catch (error) {
          console.error('could not apply a live change', error);
        }
      });
      current.addEventListener('expired', () => {
        current.close();
        endExpiredSession();
      });
      current.addEventListener('error', () => {
        setStatus('reconnecting');
        // EventSource retries network errors itself; an error answer (401, 502) closes it for good.
        if (current.readyState !== EventSource.CLOSED || stopped) return;
        void fetch('/api/auth/session')
          .then((response) => response.json())
          .then((session: { user?: { address?: string } } | null) => {
            if (!session?.user?.address) endExpiredSession();
            else if (!stopped) retry = setTimeout(connect, RETRY_MS);
          })
          .catch(() => {
            if (!stopped) retry = setTimeout(connect, RETRY_MS);
          });
      });
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [mailboxId]);

  return status;
}
