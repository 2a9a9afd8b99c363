/**
 * A request that cannot be done, as the domain modules (mail/, auth/, changes/) report it: the
 * client got it wrong, the mailbox is full, or a service it needs is away. They throw it; each
 * transport words it its own way (GraphQL: BAD_USER_INPUT naming the field, NOT_FOUND, OVER_QUOTA
 * or SERVICE_UNAVAILABLE: graphql/failures.ts), so no domain module needs to know a transport.
 */
export type RequestFailureCode = 'INVALID_INPUT' | 'NOT_FOUND' | 'FORBIDDEN' | 'OVER_QUOTA' | 'UNAVAILABLE';

export class RequestFailure extends Error {
  override name = 'RequestFailure';
  constructor(
    readonly code: RequestFailureCode,
    message: string,
    /** The input field at fault (or that named what was not found). */
    readonly field: string,
  ) {
    super(message);
  }
}

/** Invalid input; `field` names the argument or input field at fault. */
export const invalidInput = (message: string, field: string) =>
  new RequestFailure('INVALID_INPUT', message, field);

/** No such thing for this user (another user's ids answer this too: ids do not leak). */
export const notFoundFailure = (message: string, field: string) =>
  new RequestFailure('NOT_FOUND', message, field);

/**
 * The user can reach the thing (a mailbox shared with them) but lacks the right for this
 * (RFC 4314); never for what they cannot reach at all, which is NOT_FOUND.
 */
export const forbiddenFailure = (message: string, field: string) =>
  new RequestFailure('FORBIDDEN', message, field);

/** A mailbox is full; nothing was stored. An empty message: the transport's own wording. */
export const overQuotaFailure = (message = '', field = 'input') =>
  new RequestFailure('OVER_QUOTA', message, field);

/** Nothing was done, and trying again later may work (a smarthost that cannot be reached). */
export const unavailableFailure = (message: string) => new RequestFailure('UNAVAILABLE', message, 'input');
