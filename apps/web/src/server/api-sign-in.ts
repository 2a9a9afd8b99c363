// Checks a user's credentials against the API's GraphQL `signIn` mutation (DESIGN.md, the
// contract) and learns who they are from `me`. Server-side only: the API token it returns
// is kept in the encrypted session cookie and never handed to the browser.
import 'server-only';

/** Who signed in, as the session shows it, plus the API token that acts for them. */
export interface ApiSignInResult {
  address: string;
  role: 'user' | 'admin';
  apiToken: string;
  /** When the API session ends (ms since the epoch), when the API said. */
  apiExpires: number | undefined;
}

/** Why a sign-in did not succeed; the sign-in page shows a message for each. */
export type SignInFailure =
  'INVALID_CREDENTIALS' | 'API_UNAVAILABLE' | 'TWO_FACTOR_REQUIRED' | 'TWO_FACTOR_INVALID';

/** A sign-in that could not be completed for a reason other than wrong credentials. */
export class ApiUnavailableError extends Error {
  readonly code = 'API_UNAVAILABLE' satisfies SignInFailure;
}

/**
 * The password is right but the account has two-factor sign-in on: a code is needed
 * (TWO_FACTOR_REQUIRED) or the one given was not right (TWO_FACTOR_INVALID).
 */
export class TwoFactorError extends Error {
  constructor(readonly code: Extract<SignInFailure, 'TWO_FACTOR_REQUIRED' | 'TWO_FACTOR_INVALID'>) {
    super(
      code === 'TWO_FACTOR_REQUIRED' ? 'A two-factor code is needed' : 'The two-factor code is not right',
    );
  }
}

const SIGN_IN = /* GraphQL */ `
  mutation SignIn($username: String!, $password: String!) {
    signIn(username: $username, password: $password) {
      token
      expires
    }
  }
`;

// Sent only with a code, so that a sign-in without one asks exactly what it always did.
const SIGN_IN_WITH_CODE = /* GraphQL */ `
  mutation SignInWithCode($username: String!, $password: String!, $code: String) {
    signIn(username: $username, password: $password, code: $code) {
      token
      expires
    }
  }
`;

const ME = /* GraphQL */ `
  query Me {
    me {
      address
      role
    }
  }
`;

const REQUEST_TIMEOUT_MS = 5_000;

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; twoFactorRequired?: boolean } }[];
}

/**
 * Signs in with the API, with the second factor's code when the user gave one (a code from the
 * authenticator or a recovery code). Answers null for wrong credentials; throws TwoFactorError
 * when the password is right but a code is needed or wrong, and ApiUnavailableError when the
 * API cannot be reached or answers something that is not a GraphQL reply.
 */
export async function signInWithApi(
  apiUrl: string,
  username: string,
  password: string,
  code?: string,
): Promise<ApiSignInResult | null> {
  const reply = await postGraphQL<{ signIn?: { token?: string; expires?: string } | null }>(
    apiUrl,
    code ? SIGN_IN_WITH_CODE : SIGN_IN,
    code ? { username, password, code } : { username, password },
  );
  const apiToken = reply.data?.signIn?.token;
  if (!apiToken) {
    if (reply.errors?.some((error) => error.extensions?.twoFactorRequired === true)) {
      throw new TwoFactorError(code ? 'TWO_FACTOR_INVALID' : 'TWO_FACTOR_REQUIRED');
    }
    const codes = (reply.errors ?? []).map((error) => error.extensions?.code);
    // Bad input and bad credentials are the user's to fix; anything else is the API's problem.
    if (
      reply.errors?.length &&
      codes.some(
        (code) => code && !['UNAUTHENTICATED', 'BAD_USER_INPUT', 'FORBIDDEN', 'RATE_LIMITED'].includes(code),
      )
    ) {
      throw new ApiUnavailableError(
        `The API refused the sign-in: ${reply.errors.map((error) => error.message).join('; ')}`,
      );
    }
    return null;
  }
  const identity = await fetchIdentity(apiUrl, apiToken);
  const expires = Date.parse(reply.data?.signIn?.expires ?? '');
  return {
    address: identity?.address ?? username.trim().toLowerCase(),
    role: identity?.role === 'admin' ? 'admin' : 'user',
    apiToken,
    apiExpires: Number.isNaN(expires) ? undefined : expires,
  };
}

/** The signed-in user's address and role, or undefined when the API cannot tell (yet). */
async function fetchIdentity(
  apiUrl: string,
  apiToken: string,
): Promise<{ address?: string; role?: string } | undefined> {
  try {
    const reply = await postGraphQL<{ me?: { address?: string; role?: string } | null }>(
      apiUrl,
      ME,
      {},
      apiToken,
    );
    return reply.data?.me ?? undefined;
  } catch {
    // Without `me` the user still signs in, with the least privilege.
    return undefined;
  }
}

async function postGraphQL<T>(
  apiUrl: string,
  query: string,
  variables: Record<string, unknown>,
  apiToken?: string,
): Promise<GraphQLResponse<T>> {
  let response: Response;
  try {
    response = await fetch(`${apiUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        // the API then refuses app passwords here: the console is guarded by two-factor sign-in
        'x-wildduck-sign-in-client': 'web',
        ...(apiToken ? { authorization: `Bearer ${apiToken}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiUnavailableError(`The API at ${apiUrl} did not answer: ${(error as Error).message}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiUnavailableError(
      `The API at ${apiUrl}/graphql answered HTTP ${response.status} without a GraphQL reply.`,
    );
  }
  if (!body || typeof body !== 'object' || !('data' in body || 'errors' in body)) {
    throw new ApiUnavailableError(
      `The API at ${apiUrl}/graphql answered HTTP ${response.status} without a GraphQL reply.`,
    );
  }
  return body as GraphQLResponse<T>;
}
