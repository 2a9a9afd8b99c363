// The live change feed for one browser tab: a graphql-ws subscription to the API's
// mailboxChanges, opened here on the server with the user's token, turned into Server-Sent
// Events. The browser's EventSource reconnects by itself and sends the last event id, which is
// the change cursor, so a reconnect resumes from the journal with nothing missed.
import 'server-only';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { getSettings } from './settings';

const SUBSCRIPTION = /* GraphQL */ `
  subscription MailboxChanges($since: String) {
    mailboxChanges(since: $since) {
      cursor
      type
      mailboxId
      uid
      modseq
      flags
      messageId
      path
    }
  }
`;

/** A comment line this often keeps proxies from closing an idle stream. */
const KEEP_ALIVE_MS = 20_000;
/** How long the browser waits before reconnecting after the stream ends. */
const RECONNECT_MS = 1_500;

/** Close codes by which graphql-ws says the token was refused. */
const REFUSED_CLOSE_CODES = new Set([4401, 4403]);

/**
 * A text/event-stream body: `ready` once subscribed, `change` per MailboxChange (with the cursor
 * as the event id), `expired` when the API refuses the token. The stream ends when the
 * subscription does or `signal` aborts; the browser reconnects unless the session expired.
 */
export function openChangeStream(token: string, since: string | null, signal: AbortSignal): ReadableStream {
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
      client.subscribe<{ mailboxChanges: unknown }>(
        { query: SUBSCRIPTION, variables: { since } },
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
            const change = result.data?.mailboxChanges as { cursor?: string } | undefined;
            if (change) send('change', change, change.cursor);
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
