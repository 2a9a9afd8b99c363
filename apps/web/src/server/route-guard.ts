// Checks shared by the route handlers that act for the signed-in user (/api/graphql,
// /api/events, /api/files, /api/uploads): same-origin requests only, and a session token.
import 'server-only';
import type { NextRequest } from 'next/server';
import { getApiToken } from './session';
import { getSettings } from './settings';

/** The user's API token, or a JSON error Response to send instead. */
export async function authorizeProxyRequest(
  request: NextRequest,
): Promise<{ token: string } | { response: Response }> {
  if (!isSameOrigin(request)) {
    return { response: jsonError(403, 'FORBIDDEN', 'Requests from other sites are refused.') };
  }
  const token = await getApiToken();
  if (!token) {
    return {
      response: jsonError(401, 'UNAUTHENTICATED', 'Your session has ended. Sign in again to continue.'),
    };
  }
  return { token };
}

/**
 * True unless the browser says the request came from another site. Browsers send Sec-Fetch-Site
 * and Origin on the requests that matter (POSTs, fetches); a missing header is a non-browser
 * client, which has to hold the session cookie anyway.
 */
function isSameOrigin(request: NextRequest): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = request.headers.get('origin');
  if (!origin) return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  const publicHost = new URL(getSettings().publicUrl).host;
  return originHost === request.headers.get('host') || originHost === publicHost;
}

/** A GraphQL-shaped error body, so that every client of these routes reads errors one way. */
export function jsonError(status: number, code: string, message: string): Response {
  return Response.json({ errors: [{ message, extensions: { code } }] }, { status });
}
