import { GraphQLError } from 'graphql';

/** The error codes of the API (extensions.code), as the schema's description lists them. */
export type ApiErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'OVER_QUOTA'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE';

function apiError(code: ApiErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

/** No valid token, or an expired or revoked one. */
export const unauthenticated = (message = 'Sign in first: send Authorization: Bearer <token>') =>
  apiError('UNAUTHENTICATED', message);
/** The password was right; a (right) two-factor code is needed too (the web console asks for one). */
export const twoFactorRequired = (message: string) =>
  apiError('UNAUTHENTICATED', message, { twoFactorRequired: true });
/** Signed in, but not allowed (another user's data, an admin call, a scope the token lacks). */
export const forbidden = (message: string) => apiError('FORBIDDEN', message);
/** Invalid input; `field` names the argument or input field at fault. */
export const badInput = (message: string, field: string) => apiError('BAD_USER_INPUT', message, { field });
/** No such thing for this user (another user's ids answer this too, never FORBIDDEN: ids do not leak). */
export const notFound = (message: string) => apiError('NOT_FOUND', message);
export const overQuota = (message = 'The mailbox is full (over quota)') => apiError('OVER_QUOTA', message);
export const rateLimited = (message: string, retryAfterSeconds?: number) =>
  apiError('RATE_LIMITED', message, retryAfterSeconds ? { retryAfterSeconds } : {});
/** Nothing was done and trying again later may work (a smarthost that cannot be reached). */
export const serviceUnavailable = (message: string) => apiError('SERVICE_UNAVAILABLE', message);
