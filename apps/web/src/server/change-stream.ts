// The live change feed for one browser tab: the API's mailboxChanges subscription, opened here on
// the server with the user's token, as Server-Sent Events (subscription-event-stream.ts). The
// browser's EventSource reconnects by itself and sends the last event id, which is the change
// cursor, so a reconnect resumes from the journal with nothing missed.
import 'server-only';
import { openSubscriptionEventStream } from './subscription-event-stream';

const SUBSCRIPTION = /* GraphQL */ `
  subscription MailboxChanges($since: String, $mailboxId: ID) {
    mailboxChanges(since: $since, mailboxId: $mailboxId) {
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

/**
 * A text/event-stream body: `ready` once subscribed, `change` per MailboxChange (with the cursor
 * as the event id), `expired` when the API refuses the token. The stream ends when the
 * subscription does or `signal` aborts; the browser reconnects unless the session expired.
 */
export function openChangeStream(
  token: string,
  since: string | null,
  signal: AbortSignal,
  /** Only this folder's changes (one another user shares with the user: its owner's feed). */
  mailboxId: string | null = null,
): ReadableStream {
  return openSubscriptionEventStream({
    token,
    query: SUBSCRIPTION,
    variables: { since, mailboxId },
    field: 'mailboxChanges',
    itemEvent: 'change',
    signal,
  });
}
