// A graphql-ws subscription to the API, opened here on the server with the user's token and
// turned into Server-Sent Events for one browser tab. The mailbox change feed (change-stream.ts)
// and the administrators' live feed (admin-event-stream.ts) are the same proxy around different
// subscriptions, so the stream (keep-alive, reconnect delay, refused-token and broken-feed events,
// closing once) lives here once. Each item's cursor is its SSE id: EventSource sends the last one
// when it reconnects, so the feed resumes with nothing missed and nothing twice. The two routes
// that serve them (/api/events, /api/admin/events) read the cursor and answer alike too.
import 'server-only';
import { createClient, type Client } from 'graphql-ws';
import type { NextRequest } from 'next/server';
import WebSocket from 'ws';
import { getSettings } from './settings';

/** A comment line this often keeps proxies from closing an idle stream. */
const KEEP_ALIVE_MS = 20_000;
/** How long the browser waits before reconnecting after the stream ends. */
const RECONNECT_MS = 1_500;
/** Close codes by which graphql-ws says the token was refused. */
const REFUSED_CLOSE_CODES = new Set([4401, 4403]);

/**
 * A text/event-stream body: `ready` once connected, `itemEvent` per item of the subscription's
 * `field` (id: the item's cursor), `expired` when the API refuses the token or the role, `problem`
 * when the feed broke. The stream ends when the subscription does or `signal` aborts; the browser
 * reconnects (and resumes) unless the session expired.
 */
export function openSubscriptionEventStream({
  token,
  query,
  variables,
  field,
  itemEvent,
  signal,
}: {
  token: string;
  query: string;
  variables: Record<string, unknown>;
  /** The subscription's field, whose value each result carries. */
  field: string;
  /** The SSE event name of an item. */
  itemEvent: string;
  signal: AbortSignal;
}): ReadableStream {
  const encoder = new TextEncoder();
  let client: Client | undefined;
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  let closed = false;

  return new ReadableStream({
    start(controller) {
      const write = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const send = (event: string, data: unknown, id?: string) =>
        write(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      const close = () => {
        if (closed) return;
        closed = true;
        clearInterval(keepAlive);
        void client?.dispose();
        try {
          controller.close();
        } catch {
          // already closed by the browser going away
        }
      };

      write(`retry: ${RECONNECT_MS}\n\n`);
      client = createClient({
        url: `${getSettings().apiUrl.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        lazy: true,
        retryAttempts: 0,
        on: { connected: () => send('ready', {}) },
      });
      client.subscribe<Record<string, { cursor?: string } | null | undefined>>(
        { query, variables },
        {
          next(result) {
            const refused = result.errors?.some((error) =>
              ['UNAUTHENTICATED', 'FORBIDDEN'].includes(String(error.extensions?.code)),
            );
            if (refused) {
              send('expired', {});
              return close();
            }
            if (result.errors?.length) {
              send('problem', { message: result.errors[0]?.message });
              return close();
            }
            const item = result.data?.[field];
            if (item) send(itemEvent, item, item.cursor);
          },
          error(error) {
            const code = (error as { code?: number }).code;
            if (code !== undefined && REFUSED_CLOSE_CODES.has(code)) send('expired', {});
            else send('problem', { message: 'The live feed of the mail service was interrupted.' });
            close();
          },
          complete: close,
        },
      );
      keepAlive = setInterval(() => write(': keep-alive\n\n'), KEEP_ALIVE_MS);
      signal.addEventListener('abort', close, { once: true });
    },
    cancel() {
      closed = true;
      clearInterval(keepAlive);
      void client?.dispose();
    },
  });
}

/**
 * Where a feed resumes: EventSource sends the id of the last event it saw when it reconnects; a
 * first connection may name the cursor of the page it was rendered with (`?since=`).
 */
export function resumeCursor(request: NextRequest): string | null {
  return request.headers.get('last-event-id') || request.nextUrl.searchParams.get('since') || null;
}

/** A Server-Sent Events response that no cache or proxy holds back. */
export function eventStreamResponse(body: ReadableStream): Response {
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      // no-transform keeps the response compressor from holding events back
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  });
}
