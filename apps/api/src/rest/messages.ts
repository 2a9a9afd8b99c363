import { Router } from 'express';
import { pipeline } from 'node:stream/promises';
import type { Db } from 'mongodb';
import { openMessageSource, parseObjectId } from '@wildduck/store';
import { ApiError } from './api-error.js';

/**
 * `GET /users/:user/messages/:message/raw`: a stored message exactly as delivered (message/rfc822),
 * streamed from the store. Server-to-server only (API_TOKEN, like every REST call): the link that
 * SPAM / NOT_SPAM webhooks carry so a spam filter can fetch what it should learn from.
 */
export function messageRoutes(db: Db): Router {
  const router = Router();
  router.get('/users/:user/messages/:message/raw', async (req, res) => {
    const user = parseObjectId(req.params.user);
    if (!user) throw new ApiError(400, 'INVALID_FIELD', 'user must be a 24-character hex id', 'user');
    const message = parseObjectId(req.params.message);
    if (!message)
      throw new ApiError(400, 'INVALID_FIELD', 'message must be a 24-character hex id', 'message');
    const source = await openMessageSource(db, user, message);
    if (!source) throw new ApiError(404, 'NOT_FOUND', 'This user has no such message');
    res.setHeader('content-type', 'message/rfc822');
    res.setHeader('content-length', String(source.length));
    await pipeline(source.stream, res);
  });
  return router;
}
