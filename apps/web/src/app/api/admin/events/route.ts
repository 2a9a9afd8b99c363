// GET /api/admin/events: the administrators' live feed (deliveries, sign-ins, failures, quota
// warnings) as Server-Sent Events. Administrators only: anyone else gets 403 before the API is
// asked (which refuses them too). The web server holds the WebSocket, so the token stays here.
import type { NextRequest } from 'next/server';
import { openAdminEventStream } from '@/server/admin-event-stream';
import { authorizeProxyRequest, jsonError } from '@/server/route-guard';
import { getSession } from '@/server/session';
import { eventStreamResponse, resumeCursor } from '@/server/subscription-event-stream';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest): Promise<Response> {
  const authorized = await authorizeProxyRequest(request);
  if ('response' in authorized) return authorized.response;
  const session = await getSession();
  if (session?.user.role !== 'admin')
    return jsonError(403, 'FORBIDDEN', 'The live feed is for administrators only.');
  return eventStreamResponse(openAdminEventStream(authorized.token, resumeCursor(request), request.signal));
}
