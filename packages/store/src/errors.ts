/** A failure the caller caused or can act on; `code` is stable and machine-readable. */
export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The address is taken by another account. */
export class UserExistsError extends StoreError {
  constructor(address: string) {
    super('USER_EXISTS', `A user with the address ${address} already exists`);
  }
}

/** MongoDB's duplicate-key error code. */
export const DUPLICATE_KEY = 11000;

/** True when a driver error is a unique-index violation. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DUPLICATE_KEY;
}
