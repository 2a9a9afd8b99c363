// GET /api/events: live changes of the signed-in user's mailboxes as Server-Sent Events
// (?mailbox=<id>: of that one only, which may be a folder another user shares). The web server
// holds the WebSocket to the API, so the API token never reaches the browser.
import type { NextRequest } from 'next/server';
import { openChangeStream } from '@/server/change-stream';
import { authorizeProxyRequest } from '@/server/route-guard';
import { eventStreamResponse, resumeCursor } from '@/server/subscription-event-stream';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest): Promise<Response> {
  const authorized = await authorizeProxyRequest(request);
  if ('response' in authorized) return authorized.response;
  const mailbox = request.nextUrl.searchParams.get('mailbox');
  return eventStreamResponse(
    openChangeStream(authorized.token, resumeCursor(request), request.signal, mailbox || null),
  );
}
