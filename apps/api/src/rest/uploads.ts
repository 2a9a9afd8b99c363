import { Router, type Request, type Response, type NextFunction } from 'express';
import type { ObjectId } from 'mongodb';
import { bearerToken, resolveViewer } from '../auth/credentials.js';
import { userAccess } from '../auth/viewer.js';
import type { ApiServices } from '../services.js';
import { newUploadSink, sweepExpiredUploads } from '../mail/uploads.js';
import { ApiError } from './api-error.js';

/** Largest upload accepted: 25 MiB, as most mail systems allow per attachment. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
/** Expired uploads are swept at most this often (on the way of an upload). */
const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/** An upload as POST /uploads answers it. */
export interface UploadInfo {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

/**
 * `POST /uploads`: the raw request body is an attachment to send later (GraphQL `send` and
 * `saveDraft` name it by id). Authenticated by the same bearer token as GraphQL, with the send
 * scope. The body streams straight into GridFS, never held whole; the file name comes from
 * `X-Filename` (or `?filename=`, percent-encoding allowed), the type from Content-Type. Larger than
 * MAX_UPLOAD_BYTES answers 413. Uploads belong to their user and expire after a day.
 */
export function uploadsRoutes(services: ApiServices): Router {
  const router = Router();
  let lastSweep = 0;
  router.post('/uploads', (req, res, next) => {
    if (Date.now() - lastSweep > SWEEP_INTERVAL_MS) {
      lastSweep = Date.now();
      sweepExpiredUploads(services.db).catch((error: unknown) =>
        services.logger.warn({ err: error }, 'sweeping expired uploads failed'),
      );
    }
    upload(services, req, res).catch((error: unknown) => fail(req, next, error));
  });
  return router;
}

async function upload(services: ApiServices, req: Request, res: Response): Promise<void> {
  const user = await uploader(services, req);
  const declared = Number(req.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_UPLOAD_BYTES) throw tooLarge();
  const filename = uploadFilename(req);
  const contentType = uploadContentType(req.get('content-type'));
  const sink = newUploadSink(services.db, user, filename, contentType);
  let size = 0;
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const stop = (error: Error) => {
      if (failed) return;
      failed = true;
      req.unpipe(sink);
      // the chunks written so far are deleted before the client hears of it
      sink
        .abort()
        .catch(() => {})
        .finally(() => reject(error));
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_UPLOAD_BYTES) stop(tooLarge());
    });
    req.once('error', stop);
    req.once('close', () => {
      if (!req.complete) stop(new Error('the client went away during the upload'));
    });
    sink.once('error', stop);
    sink.once('finish', () => {
      if (!failed) resolve();
    });
    req.pipe(sink);
  });
  const answer: UploadInfo = { id: sink.id.toHexString(), filename, contentType, size };
  res.status(201).json(answer);
}

/** The user the bearer token names, with the send scope; else 401 / 403. */
async function uploader(services: ApiServices, req: Request): Promise<ObjectId> {
  const viewer = await resolveViewer(services, bearerToken(req.get('authorization')));
  const access = userAccess(viewer, 'send');
  if (access.ok) return access.user.userId;
  const { code, message } = access.refusal;
  throw code === 'UNAUTHENTICATED'
    ? new ApiError(401, 'UNAUTHORIZED', message)
    : new ApiError(403, 'FORBIDDEN', message);
}

function tooLarge(): ApiError {
  return new ApiError(
    413,
    'BODY_TOO_LARGE',
    `An upload can have at most ${MAX_UPLOAD_BYTES} bytes (25 MiB)`,
    'body',
  );
}

/** Answers the error; a body still coming is read and dropped, so the client sees the answer. */
function fail(req: Request, next: NextFunction, error: unknown): void {
  if (!req.complete) {
    let drained = 0;
    req.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      // a client that goes on and on is cut off
      if (drained > 2 * MAX_UPLOAD_BYTES) req.socket.destroy();
    });
    req.resume();
  }
  next(error);
}

/** The file name from X-Filename or ?filename= (percent-decoded), without paths or control characters. */
function uploadFilename(req: Request): string {
  const given = req.get('x-filename') ?? (typeof req.query.filename === 'string' ? req.query.filename : '');
  let name = given;
  try {
    name = decodeURIComponent(given);
  } catch {
    // not percent-encoded: taken as it is
  }
  name = name
    .replace(/[\x00-\x1f\x7f]/g, '')
    .replace(/^.*[/\\]/, '')
    .trim()
    .slice(0, 255);
  return name || 'attachment';
}

/** The Content-Type when it is a plausible media type, else application/octet-stream. */
function uploadContentType(header: string | undefined): string {
  const value = (header ?? '').trim();
  return /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(\s*;.*)?$/.test(value) && value.length <= 200
    ? value
    : 'application/octet-stream';
}
