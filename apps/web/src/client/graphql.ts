// The browser's GraphQL client: POST /api/graphql on this site (the server adds the user's
// token). Errors come back as GraphQLRequestError with the API's code and a readable message;
// an ended session signs out and returns to /signin.
import { signOut } from 'next-auth/react';

/** A failed operation: `code` is the API's extensions.code, or NETWORK / BAD_RESPONSE. */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
    /** The error's other extensions: `field` (the input at fault), `problems` (Sieve), … */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** The argument or input field the API named as at fault (BAD_USER_INPUT), if any. */
  get field(): string | undefined {
    return typeof this.extensions.field === 'string' ? this.extensions.field : undefined;
  }
}

interface GraphQLReply<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[];
}

/** Runs a query or mutation as the signed-in user. */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch('/api/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new GraphQLRequestError(
      'The web server did not answer. Check your connection and try again.',
      'NETWORK',
    );
  }
  const reply = (await response.json().catch(() => null)) as GraphQLReply<T> | null;
  const first = reply?.errors?.[0];
  const code = first?.extensions?.code ?? (response.status === 401 ? 'UNAUTHENTICATED' : undefined);
  if (code === 'UNAUTHENTICATED') {
    endExpiredSession();
    throw new GraphQLRequestError('Your session has ended. Sign in again to continue.', code);
  }
  if (first) {
    throw new GraphQLRequestError(first.message, code ?? 'INTERNAL_SERVER_ERROR', first.extensions ?? {});
  }
  if (!reply?.data) {
    throw new GraphQLRequestError(
      `The server answered HTTP ${response.status} without data. Try again in a moment.`,
      'BAD_RESPONSE',
    );
  }
  return reply.data;
}

let ending = false;

/** Clears the session cookie and sends the user to /signin, back here after signing in. */
export function endExpiredSession(): void {
  if (ending || typeof window === 'undefined') return;
  ending = true;
  const here = `${window.location.pathname}${window.location.search}`;
  void signOut({ redirect: false })
    .catch(() => undefined)
    .finally(() => {
      window.location.assign(`/signin?error=SessionExpired&callbackUrl=${encodeURIComponent(here)}`);
    });
}

/** A sentence for an error of any kind, for alerts and toasts. */
export function describeError(error: unknown): string {
  if (error instanceof GraphQLRequestError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong. Try again in a moment.';
}

/** Rewrites an API download URL (absolute, on the API) to the same path under /api/files here. */
export function proxiedFileUrl(apiUrl: string): string {
  try {
    const url = new URL(apiUrl, 'http://api.invalid');
    return `/api/files${url.pathname}${url.search}`;
  } catch {
    return '#';
  }
}
