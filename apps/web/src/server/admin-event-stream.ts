// The administrators' live feed for one browser tab: the API's adminEvents subscription, opened
// here on the server with the admin's token, as Server-Sent Events (subscription-event-stream.ts,
// as change-stream.ts does for mailboxes).
import 'server-only';
import { ADMIN_EVENT_FIELDS } from '@/admin/feed-operations';
import { openSubscriptionEventStream } from './subscription-event-stream';

const SUBSCRIPTION = /* GraphQL */ `
  subscription AdminEvents($since: String) {
    adminEvents(since: $since) { ${ADMIN_EVENT_FIELDS} }
  }
`;

/**
 * A text/event-stream body: `ready` once connected, `event` per AdminEvent (id: its cursor),
 * `expired` when the API refuses the token or the role, `problem` when the feed broke (the browser
 * reconnects and resumes).
 */
export function openAdminEventStream(
  token: string,
  since: string | null,
  signal: AbortSignal,
): ReadableStream {
  return openSubscriptionEventStream({
    token,
    query: SUBSCRIPTION,
    variables: { since },
    field: 'adminEvents',
    itemEvent: 'event',
    signal,
  });
}
