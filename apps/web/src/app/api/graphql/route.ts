// POST /api/graphql: the browser's way to the API's GraphQL endpoint. It adds the signed-in
// user's token, which lives only in the encrypted session cookie, and passes the reply back.
import type { NextRequest } from 'next/server';
import { authorizeProxyRequest, jsonError } from '@/server/route-guard';
import { getSettings } from '@/server/settings';

export const dynamic = 'force-dynamic';

/** Largest operation we forward; a compose with a long body is far below it. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;
const REQUEST_TIMEOUT_MS = 30_000;
/**
 * Operations over a whole selection or folder (thousands of messages, moved in batches by the API)
 * may take minutes on a slow store: they get longer, just under fetch's own five-minute wait for
 * the reply's headers.
 */
const LONG_OPERATION_MS = 290_000;
const LONG_OPERATION = /\b(bulkMessages|undoBulk|emptyMailbox|deleteMailboxToTrash)\b/;

export async function POST(request: NextRequest): Promise<Response> {
  const authorized = await authorizeProxyRequest(request);
  if ('response' in authorized) return authorized.response;
  if (!request.headers.get('content-type')?.startsWith('application/json')) {
    return jsonError(415, 'BAD_REQUEST', 'Send GraphQL operations as application/json.');
  }
  const body = await request.text();
  if (Buffer.byteLength(body) > MAX_BODY_BYTES) {
    return jsonError(413, 'BAD_REQUEST', 'The operation is too large.');
  }
  const { apiUrl } = getSettings();
  let reply: Response;
  try {
    reply = await fetch(`${apiUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${authorized.token}`,
      },
      body,
      signal: AbortSignal.timeout(LONG_OPERATION.test(body) ? LONG_OPERATION_MS : REQUEST_TIMEOUT_MS),
      cache: 'no-store',
    });
  } catch {
    return jsonError(502, 'API_UNAVAILABLE', 'The mail service is not answering. Try again in a moment.');
  }
  return new Response(reply.body, {
    status: reply.status,
    headers: {
      'content-type': reply.headers.get('content-type') ?? 'application/json',
      'cache-control': 'no-store',
    },
  });
}
