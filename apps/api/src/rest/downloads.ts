import { Router, type Request } from 'express';
import { pipeline } from 'node:stream/promises';
import type { ObjectId } from 'mongodb';
import { findUserMessage, openMessageSource, parseObjectId } from '@wildduck/store';
import type { MimePart } from '@wildduck/mime';
import { resolvePart } from '@wildduck/mime';
import type { ApiServices } from '../services.js';
import { bearerToken, resolveViewer } from '../auth/credentials.js';
import { openPartContent, parsePartNumber, storedSections } from '../mail/render.js';
import { ApiError } from './api-error.js';
import { reachableMessages } from '../mail/mailbox-access.js';
import type { MailAccount } from '../mail/mail-account.js';

/** The signed-in user (scope read) of a download request, or a 401/403 ApiError. */
async function downloadingUser(services: ApiServices, req: Request): Promise<MailAccount> {
  const token = bearerToken(req.get('authorization'));
  const viewer = await resolveViewer(services, token);
  if (!viewer) throw new ApiError(401, 'UNAUTHORIZED', 'Sign in first: send Authorization: Bearer <token>');
  if (viewer.kind !== 'user')
    throw new ApiError(403, 'FORBIDDEN', 'Downloads need a user token, not the API token');
  if (!viewer.scopes.has('read')) throw new ApiError(403, 'FORBIDDEN', 'This token lacks the read scope');
  return { userId: viewer.userId, address: viewer.address };
}

/**
 * Whose store holds the message as the user may read it: theirs, or the owner's of a mailbox
 * shared with them with the read right; null otherwise (404, as for a message that does not exist).
 */
async function readableOwner(
  services: ApiServices,
  user: MailAccount,
  id: ObjectId,
): Promise<ObjectId | null> {
  const [place] = await reachableMessages(services, user, [id]);
  if (!place) return null;
  return place.target.owner.equals(user.userId) || place.target.rights.includes('r')
    ? place.target.owner
    : null;
}

function messageId(value: string | undefined): ObjectId {
  const id = parseObjectId(value ?? '');
  if (!id) throw new ApiError(400, 'INVALID_FIELD', 'message must be a 24-character hex id', 'message');
  return id;
}

const notFound = () => new ApiError(404, 'NOT_FOUND', 'You have no such message or part');

/** A media type safe to put in a header: type/subtype of token characters, else octet-stream. */
function safeContentType(part: MimePart): string {
  const type = `${part.type}/${part.subtype}`.toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type)) return 'application/octet-stream';
  if (part.type === 'text' && part.charset && /^[a-z0-9_.:+-]{1,40}$/i.test(part.charset))
    return `${type}; charset=${part.charset}`;
  return type;
}

/**
 * `Content-Disposition: attachment` with the name as RFC 5987 UTF-8 (filename*), and a plain
 * ASCII fallback: no quotes, backslashes, control characters or path separators survive.
 */
export function attachmentDisposition(filename: string): string {
  const cleaned = filename.replace(/[\x00-\x1f\x7f/\\]+/g, '_').trim() || 'attachment';
  const ascii = cleaned.replace(/[^\x20-\x7e]/g, '_').replace(/["%;]/g, '_');
  const encoded = encodeURIComponent(cleaned).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A file name for a part without one, from its type. */
function defaultName(part: MimePart, number: string): string {
  if (part.kind === 'message' || (part.type === 'message' && part.subtype === 'rfc822'))
    return `message-${number}.eml`;
  const extension = /^[a-z0-9]{1,10}$/.test(part.subtype) ? part.subtype : 'bin';
  return `part-${number}.${extension}`;
}

/** Headers every download answer carries: never rendered or sniffed as a page of ours. */
function downloadHeaders(res: import('express').Response, length: number, type: string, disposition: string) {
  res.setHeader('content-type', type);
  res.setHeader('content-length', String(length));
  res.setHeader('content-disposition', disposition);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('content-security-policy', "default-src 'none'; sandbox");
  res.setHeader('cache-control', 'private, no-store');
}

/**
 * Downloads for signed-in users, authenticated by bearer token like GraphQL (scope read):
 * `GET /messages/:id/raw` the message as stored (message/rfc822), and
 * `GET /messages/:id/attachments/:part` one part, transfer-decoded, both streamed from the store.
 * Another user's message answers 404 as a missing one does.
 */
export function downloadsRoutes(services: ApiServices): Router {
  const router = Router();

  router.get('/messages/:id/raw', async (req, res) => {
    const user = await downloadingUser(services, req);
    const id = messageId(req.params.id);
    const owner = await readableOwner(services, user, id);
    const source = owner && (await openMessageSource(services.db, owner, id));
    if (!source) throw notFound();
    downloadHeaders(res, source.length, 'message/rfc822', attachmentDisposition(`${id.toHexString()}.eml`));
    await pipeline(source.stream, res);
  });

  router.get('/messages/:id/attachments/:part', async (req, res) => {
    const user = await downloadingUser(services, req);
    const id = messageId(req.params.id);
    const numbers = parsePartNumber(req.params.part ?? '');
    if (!numbers)
      throw new ApiError(400, 'INVALID_FIELD', 'part must be a part number such as 2 or 1.2', 'part');
    const owner = await readableOwner(services, user, id);
    const message = owner && (await findUserMessage(services.db, owner, id, { content: true }));
    if (!message) throw notFound();
    const sections = storedSections(message);
    const part = resolvePart(sections.root, numbers);
    if (!part) throw notFound();
    const content = openPartContent(services.db, sections, numbers);
    if (!content) throw notFound();
    const number = numbers.join('.');
    const type = part.kind === 'message' ? 'message/rfc822' : safeContentType(part);
    downloadHeaders(
      res,
      content.length,
      type,
      attachmentDisposition(part.filename || defaultName(part, number)),
    );
    await pipeline(content.stream, res);
  });

  return router;
}
