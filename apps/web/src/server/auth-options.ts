// next-auth configuration: a credentials provider checked by the API's `signIn` mutation,
// sessions as encrypted JWT cookies holding the API token, the browser seeing only the
// address and role.
import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { endApiSession } from './api-graphql';
import { ApiUnavailableError, signInWithApi, TwoFactorError } from './api-sign-in';
import { getSessionSecret } from './installation-secret';
import { getSettings } from './settings';

/** How long a session lasts without being refreshed by activity. */
const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

let cached: NextAuthOptions | undefined;

/**
 * The next-auth options, built on first use so that neither the build nor an import reads
 * the environment or creates the secret file.
 */
export function getAuthOptions(): NextAuthOptions {
  cached ??= buildAuthOptions();
  return cached;
}

function buildAuthOptions(): NextAuthOptions {
  const settings = getSettings();
  return {
    secret: getSessionSecret(),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/signin', error: '/signin' },
    providers: [
      CredentialsProvider({
        id: 'credentials',
        name: 'Email address and password',
        credentials: {
          username: { label: 'Email address', type: 'email' },
          password: { label: 'Password', type: 'password' },
          // the second step when two-factor sign-in is on: a code from the authenticator or a recovery code
          code: { label: 'Authentication code', type: 'text' },
        },
        async authorize(credentials) {
          const username = credentials?.username?.trim() ?? '';
          const password = credentials?.password ?? '';
          const code = credentials?.code?.replace(/\s+/g, '') ?? '';
          if (!username || !password) return null;
          try {
            const result = await signInWithApi(settings.apiUrl, username, password, code || undefined);
            if (!result) return null;
            return { id: result.address, ...result };
          } catch (error) {
            // The sign-in form asks for the code (again) when it reads these.
            if (error instanceof TwoFactorError) throw new Error(error.code);
            if (error instanceof ApiUnavailableError) {
              console.warn(`[web] sign-in for ${username} failed: ${error.message}`);
              // next-auth passes a thrown error's message to the sign-in page as ?error=.
              throw new Error(error.code);
            }
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.sub = user.address;
          token.address = user.address;
          token.role = user.role;
          token.apiToken = user.apiToken;
          if (user.apiExpires) token.apiExpires = user.apiExpires;
        }
        return token;
      },
      session({ session, token }) {
        // Build the browser's view from scratch: address and role, never the API token. A session
        // whose API token has expired shows nobody signed in, so pages send the user to /signin.
        const expired = isApiSessionExpired(token.apiExpires);
        return {
          expires: session.expires,
          user: { address: expired ? '' : (token.address ?? ''), role: token.role ?? 'user' },
        };
      },
    },
    events: {
      // Signing out ends the API session too, so the token in the old cookie is worthless.
      async signOut({ token }) {
        if (token?.apiToken) await endApiSession(token.apiToken);
      },
    },
  };
}

/** True once the API session's expiry (ms since the epoch) has passed. */
export function isApiSessionExpired(apiExpires: number | undefined): boolean {
  return apiExpires !== undefined && apiExpires <= Date.now();
}
