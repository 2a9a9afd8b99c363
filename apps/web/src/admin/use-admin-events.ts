'use client';
// The administrators' live feed from GET /api/admin/events (Server-Sent Events the web server
// fills from the API's adminEvents subscription). It starts from the cursor the page was rendered
// with, so nothing between the first paint and the subscription is lost; EventSource resumes after
// the last event it saw when it reconnects by itself, and a feed opened again resumes the same way.
import { useEffect, useRef, useState } from 'react';
import { endExpiredSession } from '@/client/graphql';
import type { AdminEvent } from './feed-operations';

const RETRY_MS = 3_000;

export type FeedStatus = 'connecting' | 'live' | 'reconnecting' | 'refused';

export function useAdminEvents(since: string, onEvent: (event: AdminEvent) => void): FeedStatus {
  const [status, setStatus] = useState<FeedStatus>('connecting');
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  }, [onEvent]);

  useEffect(() => {
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let cursor = since;
    const connect = () => {
      const current = new EventSource(`/api/admin/events?since=${encodeURIComponent(cursor)}`);
      source = current;
      current.addEventListener('ready', () => setStatus('live'));
      current.addEventListener('event', (message) => {
        setStatus('live');
        const { data, lastEventId } = message as MessageEvent<string>;
        if (lastEventId) cursor = lastEventId;
        try {
          handler.current(JSON.parse(data) as AdminEvent);
        } catch (error) {
          console.error('could not show an admin event', error);
        }
      });
      current.addEventListener('expired', () => {
        current.close();
        setStatus('refused');
        endExpiredSession();
      });
      current.addEventListener('error', () => {
        if (stopped) return;
        setStatus('reconnecting');
        // EventSource retries network errors itself; an error answer (403, 502) closes it for good
        if (current.readyState !== EventSource.CLOSED) return;
        retry = setTimeout(connect, RETRY_MS);
      });
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [since]);

  return status;
}
