/** The shortest password we accept: long enough that the example in the README passes and "secret" does not. */
export const MIN_PASSWORD_LENGTH = 8;
/** argon2 hashes anything, but a megabyte "password" is an attack on the CPU, not a password. */
export const MAX_PASSWORD_LENGTH = 1024;
