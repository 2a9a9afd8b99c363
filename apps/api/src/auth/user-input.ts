import { normalizeAddress, type UserChanges } from '@wildduck/store';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password-rules.js';

/** Why an account change was refused: a stable code, a message, and the field at fault. */
export interface InputProblem {
  code: 'INVALID_FIELD' | 'INVALID_USERNAME' | 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG' | 'UNKNOWN_FIELD';
  message: string;
  field: string;
}

/** Thrown by the checks below; GraphQL answers BAD_USER_INPUT, REST a 400, both naming the field. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(readonly problem: InputProblem) {
    super(problem.message);
  }
}

const fail = (code: InputProblem['code'], field: string, message: string): never => {
  throw new InputError({ code, field, message });
};

/** A normalised address, or an InputError naming `field`. */
export function checkAddress(value: unknown, field: string): string {
  const address = typeof value === 'string' ? normalizeAddress(value) : undefined;
  return (
    address ?? fail('INVALID_USERNAME', field, `"${field}" must be an email address such as user@example.com`)
  );
}

/** A password of acceptable length, or an InputError. */
export function checkPassword(value: unknown, field = 'password'): string {
  if (typeof value !== 'string') return fail('INVALID_FIELD', field, `"${field}" must be a string`);
  if (value.length < MIN_PASSWORD_LENGTH)
    fail('PASSWORD_TOO_SHORT', field, `"${field}" must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  if (value.length > MAX_PASSWORD_LENGTH)
    fail('PASSWORD_TOO_LONG', field, `"${field}" must be at most ${MAX_PASSWORD_LENGTH} characters long`);
  return value;
}

/** A display name (or null), at most 256 characters. */
export function checkName(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || value.length > 256)
    fail('INVALID_FIELD', 'name', '"name" must be a string of at most 256 characters, or null');
  return value as string;
}

/** A quota in whole bytes (0 or more), or null for unlimited. */
export function checkQuota(value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    fail(
      'INVALID_FIELD',
      'quota',
      '"quota" must be a whole number of bytes (0 or more), or null for unlimited',
    );
  return value as number;
}

/** 'user' or 'admin'. */
export function checkRole(value: unknown): 'user' | 'admin' {
  if (value !== 'user' && value !== 'admin')
    fail('INVALID_FIELD', 'role', '"role" must be "user" or "admin"');
  return value as 'user' | 'admin';
}

const changeFields = new Set(['name', 'password', 'role', 'quota', 'disabled']);

/**
 * Checks the changes of an account (GraphQL UpdateUserInput, REST PUT /users/:id): absent fields
 * stay as they are; `quota: null` means unlimited and `name: null` clears the name.
 */
export function checkUserChanges(input: unknown): UserChanges {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    fail('INVALID_FIELD', 'input', 'The changes must be an object');
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!changeFields.has(key))
      fail('UNKNOWN_FIELD', key, `Unknown field "${key}"; allowed: ${[...changeFields].join(', ')}`);
  }
  const changes: UserChanges = {};
  if (record.name !== undefined) changes.name = checkName(record.name);
  if (record.password !== undefined) changes.password = checkPassword(record.password);
  if (record.role !== undefined) changes.role = checkRole(record.role);
  if (record.quota !== undefined) changes.quota = checkQuota(record.quota);
  if (record.disabled !== undefined) {
    if (typeof record.disabled !== 'boolean')
      fail('INVALID_FIELD', 'disabled', '"disabled" must be true or false');
    changes.disabled = record.disabled as boolean;
  }
  return changes;
}
