import { timingSafeEqual } from 'node:crypto';
import type { ApiServices } from './context.js';
import type { Viewer } from './viewer.js';

/**
 * Who a bearer token belongs to: the API token (an administrator), a session, or a personal
 * access token; null when it is none of them (or expired, or revoked).
 */
export async function resolveViewer(services: ApiServices, token: string | null): Promise<Viewer | null> {
  if (!token) return null;
  if (services.apiToken && sameSecret(token, services.apiToken)) return { kind: 'server' };
  // sessions and personal access tokens: see auth/ (issue 7)
  return null;
}

/** The token of `Authorization: Bearer <token>`, or null. */
export function bearerToken(header: string | undefined | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
