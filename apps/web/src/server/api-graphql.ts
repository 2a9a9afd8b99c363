// GraphQL calls from server code (server components, route handlers) to the API, with the
// signed-in user's token. The browser never sees the token: it reaches the API only through
// the route handlers under /api, which add it here on the server.
import 'server-only';
import { getSettings } from './settings';

/** How long a server-side call may take before the page shows an error instead. */
const REQUEST_TIMEOUT_MS = 20_000;

/** A GraphQL call that failed: `code` is the API's extensions.code, or API_UNAVAILABLE. */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

interface GraphQLReply<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Runs one GraphQL operation as the user whose token is given; throws ApiRequestError. */
export async function queryApi<T>(
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const { apiUrl } = getSettings();
  let response: Response;
  try {
    response = await fetch(`${apiUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiRequestError(
      `The API at ${apiUrl} did not answer (${(error as Error).message}).`,
      'API_UNAVAILABLE',
    );
  }
  const reply = (await response.json().catch(() => null)) as GraphQLReply<T> | null;
  if (!reply || typeof reply !== 'object') {
    throw new ApiRequestError(
      `The API answered HTTP ${response.status} without a GraphQL reply.`,
      'API_UNAVAILABLE',
    );
  }
  const first = reply.errors?.[0];
  if (first) throw new ApiRequestError(first.message, first.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  if (!reply.data) throw new ApiRequestError('The API answered without data.', 'API_UNAVAILABLE');
  return reply.data;
}

/** Ends an API session (sign-out); failures are logged, never thrown: the cookie goes anyway. */
export async function endApiSession(token: string): Promise<void> {
  try {
    await queryApi(token, 'mutation SignOut { signOut }');
  } catch (error) {
    console.warn(`[web] could not end the API session: ${(error as Error).message}`);
  }
}
