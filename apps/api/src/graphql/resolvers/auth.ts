import type { IResolvers } from '@graphql-tools/utils';
import { signIn } from '@wildduck/mail-service';
import {
  countUserMessages,
  findUserById,
  parseObjectId,
  toNumber,
  type AccessTokenDocument,
  type UserDocument,
} from '@wildduck/store';
import {
  countAccessTokens,
  createAccessToken,
  listAccessTokens,
  MAX_TOKENS_PER_USER,
  revokeAccessToken,
} from '../../auth/access-tokens.js';
import { createSession, endSession } from '../../auth/sessions.js';
import { ALL_SCOPES, type Scope } from '../../auth/scopes.js';
import type { GraphQLContext } from '../context.js';
import { badInput, forbidden, notFound, rateLimited, twoFactorRequired, unauthenticated } from '../errors.js';
import { requireUser } from '../viewer.js';

/** A user as resolvers hand it on: the stored document, with its message count when already known. */
export type UserParent = UserDocument & { messageCount?: number };

/** Longest an access token may live when it expires at all: ten years. */
const MAX_TOKEN_DAYS = 3650;
const MAX_TOKEN_NAME = 100;

/** Resolvers of schema/auth.ts, `me` and `signIn`, and the User type every module answers. */
export const authResolvers: IResolvers<unknown, GraphQLContext> = {
  Query: {
    async me(_root, _args, ctx: GraphQLContext) {
      const viewer = requireUser(ctx.viewer, 'read');
      const user = await findUserById(ctx.db, viewer.userId);
      // deleted between resolving the token and now
      if (!user) throw unauthenticated();
      return user;
    },

    async accessTokens(_root, _args, ctx: GraphQLContext) {
      const viewer = requireUser(ctx.viewer, 'read');
      return listAccessTokens(ctx.db, viewer.userId);
    },
  },

  Mutation: {
    async signIn(
      _root,
      args: { username: string; password: string; code?: string | null },
      ctx: GraphQLContext,
    ) {
      const outcome = await signIn(
        ctx.db,
        ctx.signInLimiters,
        args.username,
        args.password,
        ctx.remoteAddress,
        { protocol: ctx.signInClient ?? 'api', ...(args.code ? { code: args.code } : {}) },
      );
      if (!outcome.ok) {
        if (outcome.rateLimited) throw rateLimited('Too many failed sign-ins; try again in a few minutes');
        // only a right password learns that two-factor is on (the web console then asks for a code)
        if (outcome.twoFactorRequired)
          throw twoFactorRequired(args.code ? 'Wrong two-factor code' : 'A two-factor code is needed');
        // unknown address, wrong password and disabled account answer alike
        throw unauthenticated('Wrong address or password');
      }
      const { user } = outcome;
      const { token, session } = await createSession(
        ctx.db,
        user._id,
        ctx.remoteAddress || null,
        new Date(),
        ctx.signInClient ?? 'api',
      );
      ctx.logger.info(
        {
          user: user._id.toHexString(),
          via: outcome.via,
          ...(outcome.appPasswordId ? { appPassword: outcome.appPasswordId.toHexString() } : {}),
        },
        'signed in',
      );
      return { token, expires: session.expires, user };
    },

    async signOut(_root, _args, ctx: GraphQLContext) {
      const viewer = ctx.viewer;
      if (!viewer) throw unauthenticated();
      if (viewer.kind !== 'user') throw forbidden('The API token has no session to end');
      if (viewer.credential !== 'session') {
        throw forbidden('signOut ends sessions; revoke a personal access token with revokeAccessToken');
      }
      await endSession(ctx.db, viewer.credentialId);
      return true;
    },

    async createAccessToken(
      _root,
      args: { name: string; scopes: Scope[]; expiresInDays?: number | null },
      ctx: GraphQLContext,
    ) {
      const viewer = requireUser(ctx.viewer, 'write');
      if (viewer.credential !== 'session') {
        throw forbidden('Personal access tokens cannot create tokens; sign in to create one');
      }
      const name = args.name.trim();
      if (!name || name.length > MAX_TOKEN_NAME) {
        throw badInput(`"name" must be 1 to ${MAX_TOKEN_NAME} characters`, 'name');
      }
      const scopes = ALL_SCOPES.filter((scope) => args.scopes.includes(scope));
      if (!scopes.length) throw badInput('"scopes" must name at least one scope', 'scopes');
      const days = args.expiresInDays ?? null;
      if (days !== null && (days < 1 || days > MAX_TOKEN_DAYS)) {
        throw badInput(
          `"expiresInDays" must be 1 to ${MAX_TOKEN_DAYS}, or null for a token that never expires`,
          'expiresInDays',
        );
      }
      if ((await countAccessTokens(ctx.db, viewer.userId)) >= MAX_TOKENS_PER_USER) {
        throw forbidden(`You hold ${MAX_TOKENS_PER_USER} access tokens, the most allowed; revoke one first`);
      }
      const now = new Date();
      const expires = days === null ? null : new Date(now.getTime() + days * 24 * 3600 * 1000);
      const created = await createAccessToken(ctx.db, { user: viewer.userId, name, scopes, expires }, now);
      ctx.logger.info(
        { user: viewer.userId.toHexString(), accessToken: created.accessToken._id.toHexString(), scopes },
        'access token created',
      );
      return created;
    },

    async revokeAccessToken(_root, args: { id: string }, ctx: GraphQLContext) {
      const viewer = requireUser(ctx.viewer, 'write');
      const id = parseObjectId(args.id);
      // another user's token answers the same as no token at all: ids do not leak
      if (!id || !(await revokeAccessToken(ctx.db, viewer.userId, id))) {
        throw notFound('No such access token');
      }
      return true;
    },
  },

  User: {
    id: (user: UserParent) => user._id.toHexString(),
    name: (user: UserParent) => user.name ?? null,
    quota: (user: UserParent) =>
      user.quota === null || user.quota === undefined ? null : toNumber(user.quota),
    storageUsed: (user: UserParent) => toNumber(user.storageUsed),
    disabled: (user: UserParent) => Boolean(user.disabled),
    async messageCount(user: UserParent, _args, ctx: GraphQLContext) {
      if (user.messageCount !== undefined) return user.messageCount;
      return countUserMessages(ctx.db, user._id);
    },
  },

  AccessToken: {
    id: (token: AccessTokenDocument) => token._id.toHexString(),
  },
};
