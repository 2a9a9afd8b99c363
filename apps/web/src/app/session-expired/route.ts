// GET /session-expired?callbackUrl=/mail: where server pages send a user whose API session has
// ended (revoked, expired) while the web session cookie still looks valid. It clears the
// session cookie and shows the sign-in page with a sentence saying why.
import { cookies } from 'next/headers';
import type { NextRequest } from 'next/server';
import { safeReturnPath } from '@/shared/return-path';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest): Promise<Response> {
  const jar = await cookies();
  for (const cookie of jar.getAll()) {
    if (/^(__Secure-)?next-auth\.session-token(\.\d+)?$/.test(cookie.name)) jar.delete(cookie.name);
  }
  const returnTo = safeReturnPath(request.nextUrl.searchParams.get('callbackUrl') ?? undefined, '/mail');
  const target = new URL('/signin', request.nextUrl);
  target.searchParams.set('error', 'SessionExpired');
  target.searchParams.set('callbackUrl', returnTo);
  return Response.redirect(target, 303);
}
