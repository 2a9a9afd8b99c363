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

/** The address is taken by another account (or by a shared mailbox: an address is one or the other). */
export class UserExistsError extends StoreError {
  constructor(address: string, message = `A user with the address ${address} already exists`) {
    super('USER_EXISTS', message);
  }
}

/** The address belongs to a user or to a shared mailbox already (an address is one or the other). */
export class AddressTakenError extends StoreError {
  constructor(
    readonly address: string,
    holder: 'a user' | 'another mailbox' | 'a mailbox',
  ) {
    super('ADDRESS_TAKEN', `The address ${address} is already ${holder}'s address`);
  }
}

/** MongoDB's duplicate-key error code. */
export const DUPLICATE_KEY = 11000;

/** True when a driver error is a unique-index violation. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DUPLICATE_KEY;
}
