import type { IResolvers } from '@graphql-tools/utils';
import { deleteUser } from '@wildduck/mail-service';
import {
  createUser,
  findUserById,
  listUsers,
  parseObjectId,
  serverStats,
  StoreError,
  updateUser,
  UserExistsError,
  type UserOrderField,
} from '@wildduck/store';
import {
  checkAddress,
  checkName,
  checkPassword,
  checkQuota,
  checkRole,
  checkUserChanges,
  InputError,
} from '../../auth/user-input.js';
import { MAX_PAGE_SIZE } from '../../paging.js';
import type { GraphQLContext } from '../context.js';
import { badInput, notFound } from '../errors.js';
import { requireAdmin } from '../viewer.js';
import type { UserParent } from './auth.js';

interface CreateUserInput {
  address: string;
  password: string;
  name?: string | null;
  role?: 'user' | 'admin' | null;
  quota?: number | null;
}

/** Who did it, for the log. */
function actor(ctx: GraphQLContext): string {
  return ctx.viewer?.kind === 'user' ? ctx.viewer.userId.toHexString() : 'api-token';
}

/** Runs input checks, turning their InputError into BAD_USER_INPUT naming the field. */
function checked<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof InputError) throw badInput(error.problem.message, error.problem.field);
    throw error;
  }
}

/** Resolvers of schema/admin.ts: every field needs an administrator (role admin with a session, or the API token). */
export const adminResolvers: IResolvers<unknown, GraphQLContext> = {
  Query: {
    async users(
      _root,
      args: {
        search?: string | null;
        first?: number | null;
        after?: string | null;
        orderBy?: { field: UserOrderField; descending?: boolean | null } | null;
      },
      ctx: GraphQLContext,
    ) {
      requireAdmin(ctx.viewer);
      const first = args.first ?? 50;
      if (first < 0 || first > MAX_PAGE_SIZE)
        throw badInput(`"first" must be 0 to ${MAX_PAGE_SIZE}`, 'first');
      if (args.search && args.search.length > 320) throw badInput('"search" is too long', 'search');
      try {
        const page = await listUsers(ctx.db, {
          search: args.search ?? null,
          first,
          after: args.after ?? null,
          ...(args.orderBy
            ? { orderBy: { field: args.orderBy.field, descending: args.orderBy.descending ?? false } }
            : {}),
        });
        return {
          edges: page.users.map((node, index) => ({ cursor: page.cursors[index]!, node })),
          pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
          totalCount: page.totalCount,
        };
      } catch (error) {
        if (error instanceof StoreError && error.code === 'INVALID_CURSOR')
          throw badInput(error.message, 'after');
        throw error;
      }
    },

    async user(_root, args: { id: string }, ctx: GraphQLContext) {
      requireAdmin(ctx.viewer);
      const id = parseObjectId(args.id);
      return id ? findUserById(ctx.db, id) : null;
    },

    async stats(_root, _args, ctx: GraphQLContext) {
      requireAdmin(ctx.viewer);
      return serverStats(ctx.db);
    },
  },

  Mutation: {
    async createUser(_root, args: { input: CreateUserInput }, ctx: GraphQLContext): Promise<UserParent> {
      requireAdmin(ctx.viewer);
      const { input } = args;
      const request = checked(() => ({
        address: checkAddress(input.address, 'address'),
        password: checkPassword(input.password),
        name: input.name === undefined ? null : checkName(input.name),
        role: input.role === undefined || input.role === null ? ('user' as const) : checkRole(input.role),
        quota: input.quota === undefined ? null : checkQuota(input.quota),
      }));
      try {
        const user = await createUser(ctx.db, request);
        ctx.logger.info({ user: user._id.toHexString(), by: actor(ctx) }, 'user created');
        return { ...user, messageCount: 0 };
      } catch (error) {
        if (error instanceof UserExistsError) throw badInput(error.message, 'address');
        throw error;
      }
    },

    async updateUser(_root, args: { id: string; input: Record<string, unknown> }, ctx: GraphQLContext) {
      requireAdmin(ctx.viewer);
      const changes = checked(() => checkUserChanges({ ...args.input }));
      const id = parseObjectId(args.id);
      const user = id ? await updateUser(ctx.store, id, changes) : null;
      if (!user) throw notFound('No such user');
      ctx.logger.info(
        { user: user._id.toHexString(), by: actor(ctx), fields: Object.keys(changes) },
        'user updated',
      );
      return user;
    },

    async deleteUser(_root, args: { id: string }, ctx: GraphQLContext) {
      requireAdmin(ctx.viewer);
      const id = parseObjectId(args.id);
      if (!id || !(await deleteUser({ ctx: ctx.store, bus: ctx.bus }, id))) throw notFound('No such user');
      ctx.logger.info({ user: id.toHexString(), by: actor(ctx) }, 'user deleted');
      return true;
    },
  },
};
