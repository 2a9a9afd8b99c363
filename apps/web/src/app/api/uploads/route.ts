// POST /api/uploads: an attachment for a message being written. The body streams on to the
// API's POST /uploads with the user's token; the answer ({id, filename, contentType, size})
// comes back as is, and its id goes into send or saveDraft.
import type { NextRequest } from 'next/server';
import { authorizeProxyRequest, jsonError } from '@/server/route-guard';
import { getSettings } from '@/server/settings';

export const dynamic = 'force-dynamic';

export async function POST(request: NextRequest): Promise<Response> {
  const authorized = await authorizeProxyRequest(request);
  if ('response' in authorized) return authorized.response;
  const filename = request.headers.get('x-filename');
  if (!filename || !request.body) {
    return jsonError(400, 'BAD_REQUEST', 'Send the file as the body, with its name in X-Filename.');
  }
  const headers: Record<string, string> = {
    authorization: `Bearer ${authorized.token}`,
    'x-filename': filename,
    'content-type': request.headers.get('content-type') || 'application/octet-stream',
  };
  const length = request.headers.get('content-length');
  if (length) headers['content-length'] = length;
  let reply: Response;
  try {
    reply = await fetch(`${getSettings().apiUrl}/uploads`, {
      method: 'POST',
      headers,
      body: request.body,
      // Node's fetch streams a request body only when told so.
      duplex: 'half',
      signal: request.signal,
    } as RequestInit);
  } catch {
    return jsonError(502, 'API_UNAVAILABLE', 'The mail service is not answering. Try again in a moment.');
  }
  return new Response(reply.body, {
    status: reply.status,
    headers: { 'content-type': reply.headers.get('content-type') ?? 'application/json' },
  });
}
