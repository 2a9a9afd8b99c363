import { createHash, randomBytes } from 'node:crypto';

/** Personal access tokens start with this, so they are easy to spot (secret scanners, logs). */
export const ACCESS_TOKEN_PREFIX = 'wdpat_';

/** A new random secret: 32 bytes, base64url (43 characters). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored instead of a token: its SHA-256, hex. A 256-bit random secret needs no slow hash. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
