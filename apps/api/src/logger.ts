import { pino, type Logger } from 'pino';

/** The API's structured logger; secrets in request headers never reach the log. */
export function createApiLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'api' },
    redact: ['req.headers.authorization', 'req.headers["x-access-token"]', 'req.headers.cookie'],
  });
}
