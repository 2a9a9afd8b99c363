// GET /api/events: live changes of the signed-in user's mailboxes as Server-Sent Events. The
// web server holds the WebSocket to the API, so the API token never reaches the browser.
import type { NextRequest } from 'next/server';
import { openChangeStream } from '@/server/change-stream';
import { authorizeProxyRequest } from '@/server/route-guard';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest): Promise<Response> {
  const authorized = await authorizeProxyRequest(request);
  if ('response' in authorized) return authorized.response;
  // EventSource sends the id of the last event it saw when it reconnects: resume after it.
  const since = request.headers.get('last-event-id') || request.nextUrl.searchParams.get('since') || null;
  return new Response(openChangeStream(authorized.token, since, request.signal), {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      // no-transform keeps the response compressor from holding events back
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  });
}
