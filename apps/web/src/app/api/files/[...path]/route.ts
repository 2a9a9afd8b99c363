// GET /api/files/<path>: attachment and raw-message downloads. The API's download URLs need the
// user's token, so the browser asks here and the server fetches <API>/<path> with it, streaming
// the bytes through. Only paths on the API are reachable: the host is always the configured API.
import type { NextRequest } from 'next/server';
import { authorizeProxyRequest, jsonError } from '@/server/route-guard';
import { getSettings } from '@/server/settings';

export const dynamic = 'force-dynamic';

/** Response headers of the API worth passing on to the browser. */
const PASSED_HEADERS = ['content-type', 'content-length', 'content-disposition', 'last-modified', 'etag'];

interface RouteContext {
  params: Promise<{ path: string[] }>;
}

export async function GET(request: NextRequest, context: RouteContext): Promise<Response> {
  const authorized = await authorizeProxyRequest(request);
  if ('response' in authorized) return authorized.response;
  const { path } = await context.params;
  if (path.some((segment) => segment === '..' || segment === '.') || path[0] === 'graphql') {
    return jsonError(400, 'BAD_REQUEST', 'Not a download address.');
  }
  const target = `${getSettings().apiUrl}/${path.map(encodeURIComponent).join('/')}${request.nextUrl.search}`;
  let reply: Response;
  try {
    reply = await fetch(target, {
      headers: { authorization: `Bearer ${authorized.token}` },
      signal: request.signal,
      cache: 'no-store',
    });
  } catch {
    return jsonError(502, 'API_UNAVAILABLE', 'The mail service is not answering. Try again in a moment.');
  }
  const headers = new Headers({ 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' });
  for (const name of PASSED_HEADERS) {
    const value = reply.headers.get(name);
    if (value) headers.set(name, value);
  }
  // Never let a downloaded HTML part run as a page of this site.
  if (/html|xml|svg|javascript/i.test(headers.get('content-type') ?? '')) {
    headers.set('content-disposition', headers.get('content-disposition') ?? 'attachment');
    headers.set('content-security-policy', "default-src 'none'; sandbox");
  }
  return new Response(reply.body, { status: reply.status, headers });
}
