// Reading the signed-in user on the server: for pages (address and role) and for calls to
// the API (the token, which only server code ever sees).
import 'server-only';
import { cookies } from 'next/headers';
import { getServerSession, type Session } from 'next-auth';
import { decode } from 'next-auth/jwt';
import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { getAuthOptions, isApiSessionExpired } from './auth-options';
import { getSessionSecret } from './installation-secret';
import { getSettings } from './settings';

/** The current session, or null when nobody is signed in. */
export async function getSession(): Promise<Session | null> {
  // Sessions exist only per request: never evaluate this while prerendering at build time.
  await connection();
  return getServerSession(getAuthOptions());
}

/** The current session; sends the visitor to /signin (and back here afterwards) when there is none. */
export async function requireSession(returnTo: string): Promise<Session> {
  const session = await getSession();
  if (!session?.user.address) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return session;
}

/** The API token of the signed-in user, for server-side calls to the API; null when signed out. */
export async function getApiToken(): Promise<string | null> {
  await connection();
  const secure = getSettings().publicUrl.startsWith('https://');
  const cookieName = `${secure ? '__Secure-' : ''}next-auth.session-token`;
  const jar = await cookies();
  // Large sessions are split into chunks named <name>.0, <name>.1, …
  const chunks = jar
    .getAll()
    .filter((cookie) => cookie.name === cookieName || cookie.name.startsWith(`${cookieName}.`))
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  const raw = chunks.map((cookie) => cookie.value).join('');
  if (!raw) return null;
  const token = await decode({ token: raw, secret: getSessionSecret() }).catch(() => null);
  if (!token?.apiToken || isApiSessionExpired(token.apiExpires)) return null;
  return token.apiToken;
}
