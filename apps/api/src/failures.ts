/**
 * A request the client got wrong, as the domain modules (mail/, auth/, changes/) report it. They
 * throw it; each transport words it its own way (GraphQL: BAD_USER_INPUT naming the field, or
 * NOT_FOUND: graphql/failures.ts), so no domain module needs to know a transport.
 */
export type RequestFailureCode = 'INVALID_INPUT' | 'NOT_FOUND';

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
