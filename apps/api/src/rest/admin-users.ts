import { Router, type Request } from 'express';
import { deleteUser, type MailContext } from '@wildduck/mail-service';
import {
  findUserById,
  listUsers,
  messageCounts,
  parseObjectId,
  StoreError,
  toNumber,
  updateUser,
  type StoreContext,
  type UserDocument,
  type UserOrderField,
} from '@wildduck/store';
import { checkUserChanges, InputError } from '../auth/user-input.js';
import { MAX_PAGE_SIZE } from '../paging.js';
import { ApiError } from './api-error.js';

const ORDER_FIELDS: readonly UserOrderField[] = ['address', 'storageUsed', 'created'];

/** A user as the REST admin calls answer it (never the password hash). */
function userJson(user: UserDocument, messageCount: number): Record<string, unknown> {
  return {
    id: user._id.toHexString(),
    address: user.address,
    name: user.name ?? null,
    role: user.role,
    quota: user.quota === null || user.quota === undefined ? null : toNumber(user.quota),
    storageUsed: toNumber(user.storageUsed),
    disabled: Boolean(user.disabled),
    created: user.created.toISOString(),
    messageCount,
  };
}

function userId(req: Request): NonNullable<ReturnType<typeof parseObjectId>> {
  const id = parseObjectId(String(req.params.id));
  if (!id) throw new ApiError(404, 'NOT_FOUND', 'No such user', 'id');
  return id;
}

function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new ApiError(400, 'INVALID_FIELD', `"${name}" must be given once`, name);
  return value;
}

async function withCount(ctx: StoreContext, user: UserDocument): Promise<Record<string, unknown>> {
  const counts = await messageCounts(ctx.db, [user._id]);
  return userJson(user, counts.get(user._id.toHexString()) ?? 0);
}

/**
 * REST admin calls for accounts (behind the API token guard, like POST /user/create):
 * `GET /users` (search, first, after, orderBy, descending; with storage used and message counts),
 * `GET /users/:id`, `PUT /users/:id` (name, password, role, quota, disabled), `DELETE /users/:id`
 * (every message, mailbox, session and token; stored parts released). Errors are JSON naming the field.
 */
export function adminUserRoutes(mail: MailContext): Router {
  const { ctx } = mail;
  const router = Router();

  router.get('/users', async (req, res) => {
    const firstText = queryString(req, 'first');
    const first = firstText === undefined ? 50 : Number(firstText);
    if (!Number.isSafeInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
      throw new ApiError(
        400,
        'INVALID_FIELD',
        `"first" must be a whole number from 0 to ${MAX_PAGE_SIZE}`,
        'first',
      );
    }
    const orderBy = queryString(req, 'orderBy') ?? 'address';
    if (!ORDER_FIELDS.includes(orderBy as UserOrderField)) {
      throw new ApiError(
        400,
        'INVALID_FIELD',
        `"orderBy" must be one of ${ORDER_FIELDS.join(', ')}`,
        'orderBy',
      );
    }
    const descendingText = queryString(req, 'descending');
    if (descendingText !== undefined && descendingText !== 'true' && descendingText !== 'false') {
      throw new ApiError(400, 'INVALID_FIELD', '"descending" must be true or false', 'descending');
    }
    const search = queryString(req, 'search');
    if (search !== undefined && search.length > 320)
      throw new ApiError(400, 'INVALID_FIELD', '"search" is too long', 'search');
    try {
      const page = await listUsers(ctx.db, {
        search: search ?? null,
        first,
        after: queryString(req, 'after') ?? null,
        orderBy: { field: orderBy as UserOrderField, descending: descendingText === 'true' },
      });
      res.json({
        success: true,
        users: page.users.map((user) => userJson(user, user.messageCount)),
        totalCount: page.totalCount,
        hasNextPage: page.hasNextPage,
        endCursor: page.cursors.at(-1) ?? null,
      });
    } catch (error) {
      if (error instanceof StoreError && error.code === 'INVALID_CURSOR')
        throw new ApiError(400, 'INVALID_FIELD', error.message, 'after');
      throw error;
    }
  });

  router.get('/users/:id', async (req, res) => {
    const user = await findUserById(ctx.db, userId(req));
    if (!user) throw new ApiError(404, 'NOT_FOUND', 'No such user', 'id');
    res.json({ success: true, user: await withCount(ctx, user) });
  });

  router.put('/users/:id', async (req, res) => {
    const id = userId(req);
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      throw new ApiError(
        400,
        'INVALID_BODY',
        'The request body must be a JSON object of the fields to change',
      );
    }
    let changes;
    try {
      changes = checkUserChanges(req.body);
    } catch (error) {
      if (error instanceof InputError)
        throw new ApiError(400, error.problem.code, error.problem.message, error.problem.field);
      throw error;
    }
    const user = await updateUser(ctx, id, changes);
    if (!user) throw new ApiError(404, 'NOT_FOUND', 'No such user', 'id');
    req.log.info({ user: user._id.toHexString(), fields: Object.keys(changes) }, 'user updated');
    res.json({ success: true, user: await withCount(ctx, user) });
  });

  router.delete('/users/:id', async (req, res) => {
    const id = userId(req);
    if (!(await deleteUser(mail, id))) throw new ApiError(404, 'NOT_FOUND', 'No such user', 'id');
    req.log.info({ user: id.toHexString() }, 'user deleted');
    res.json({ success: true, id: id.toHexString() });
  });

  return router;
}
