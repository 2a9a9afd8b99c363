import { normalizeAddress } from '@wildduck/store';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../auth/password-rules.js';
import { ApiError } from './api-error.js';

/** A validated `POST /user/create` body. */
export interface UserCreateRequest {
  address: string;
  password: string;
  name?: string;
  role?: 'user' | 'admin';
  quota?: number | null;
}

const allowedFields = new Set(['username', 'password', 'name', 'role', 'quota']);

/** Checks a `POST /user/create` body; throws ApiError (400) naming the first field that is wrong. */
export function validateUserCreate(body: unknown): UserCreateRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).length === 0) {
    throw new ApiError(
      400,
      'INVALID_BODY',
      'The request body must be a JSON object with "username" and "password"',
    );
  }
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!allowedFields.has(key)) {
      throw new ApiError(
        400,
        'UNKNOWN_FIELD',
        `Unknown field "${key}"; allowed: ${[...allowedFields].join(', ')}`,
        key,
      );
    }
  }

  const username = requireString(input, 'username');
  const address = normalizeAddress(username);
  if (!address)
    throw new ApiError(
      400,
      'INVALID_USERNAME',
      '"username" must be an email address such as user@example.com',
      'username',
    );

  const password = requireString(input, 'password');
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new ApiError(
      400,
      'PASSWORD_TOO_SHORT',
      `"password" must be at least ${MIN_PASSWORD_LENGTH} characters long`,
      'password',
    );
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new ApiError(
      400,
      'PASSWORD_TOO_LONG',
      `"password" must be at most ${MAX_PASSWORD_LENGTH} characters long`,
      'password',
    );
  }

  const request: UserCreateRequest = { address, password };
  if (input.name !== undefined) {
    if (typeof input.name !== 'string' || input.name.length > 256) {
      throw new ApiError(400, 'INVALID_FIELD', '"name" must be a string of at most 256 characters', 'name');
    }
    request.name = input.name;
  }
  if (input.role !== undefined) {
    if (input.role !== 'user' && input.role !== 'admin') {
      throw new ApiError(400, 'INVALID_FIELD', '"role" must be "user" or "admin"', 'role');
    }
    request.role = input.role;
  }
  if (input.quota !== undefined) {
    if (
      input.quota !== null &&
      (typeof input.quota !== 'number' || !Number.isSafeInteger(input.quota) || input.quota < 0)
    ) {
      throw new ApiError(
        400,
        'INVALID_FIELD',
        '"quota" must be a whole number of bytes (0 or more), or null for unlimited',
        'quota',
      );
    }
    request.quota = input.quota;
  }
  return request;
}

function requireString(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (value === undefined || value === null) {
    throw new ApiError(400, 'MISSING_FIELD', `"${field}" is required`, field);
  }
  if (typeof value !== 'string') {
    throw new ApiError(
      400,
      'INVALID_FIELD',
      `"${field}" must be a string, not ${Array.isArray(value) ? 'an array' : typeof value}`,
      field,
    );
  }
  if (value.trim() === '') throw new ApiError(400, 'MISSING_FIELD', `"${field}" must not be empty`, field);
  return value;
}
