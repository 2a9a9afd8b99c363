import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from './api-error.js';

/**
 * Guards REST and admin calls: with an API token configured every call must carry it
 * (`Authorization: Bearer <token>` or `X-Access-Token`); without one, only loopback clients are served.
 */
export function requireApiAccess(apiToken: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (apiToken) {
      const header = req.get('authorization');
      const given = header?.startsWith('Bearer ') ? header.slice(7) : req.get('x-access-token');
      if (!given)
        return next(
          new ApiError(
            401,
            'UNAUTHORIZED',
            'This call needs the API token: send "Authorization: Bearer <API_TOKEN>"',
          ),
        );
      if (!sameSecret(given, apiToken))
        return next(new ApiError(403, 'FORBIDDEN', 'The API token is not valid'));
      return next();
    }
    if (!isLoopback(req.socket.remoteAddress)) {
      return next(
        new ApiError(403, 'FORBIDDEN', 'API_TOKEN is not set, so this API serves loopback clients only'),
      );
    }
    next();
  };
}

/** True for 127.0.0.0/8 and ::1, including IPv4-mapped IPv6 forms. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
