/**
 * Resolvers of the account-security part of schema/settings.ts (issue 17): the password, app
 * passwords and two-factor sign-in. Every change needs a signed-in session: a personal access token
 * is a key handed to an app, and must not be able to mint more keys or turn protections off.
 */
import type { IResolvers } from '@graphql-tools/utils';
import QRCode from 'qrcode';
import {
  APP_PASSWORD_SCOPES,
  DEFAULT_APP_PASSWORD_SCOPES,
  MAX_APP_PASSWORDS_PER_USER,
  MAX_APP_PASSWORD_NAME_LENGTH,
  beginTwoFactorSetup,
  checkTwoFactorCode,
  confirmTwoFactorSetup,
  countSignInFailure,
  createAppPassword,
  listAppPasswords,
  removeTwoFactor,
  renewRecoveryCodes,
  revokeAppPassword,
  signInLimited,
  twoFactorEnabled,
  twoFactorStatus,
  type TwoFactorUser,
} from '@wildduck/mail-service';
import {
  authenticateUser,
  findUserById,
  parseObjectId,
  setOwnPassword,
  type AppPasswordDocument,
  type AppPasswordScope,
} from '@wildduck/store';
import { checkPassword, InputError } from '../../auth/user-input.js';
import type { GraphQLContext } from '../context.js';
import { badInput, forbidden, notFound, rateLimited, unauthenticated } from '../errors.js';
import { requireAdmin, requireUser, type Viewer } from '../viewer.js';
import type { UserParent } from './auth.js';

const TOO_MANY_ATTEMPTS = 'Too many failed attempts; try again in a few minutes';
const WRONG_CODE = 'Wrong two-factor code';

/** The signed-in user of a session (not a personal access token, not the API token). */
function sessionUser(viewer: Viewer | null): TwoFactorUser & { id: string } {
  const user = requireUser(viewer, 'write');
  if (user.credential !== 'session')
    throw forbidden('Account security settings need a signed-in session, not a personal access token');
  return { _id: user.userId, address: user.address, id: user.userId.toHexString() };
}

/** A code checked behind the sign-in rate limiters, or the error to answer. */
async function requireCode(ctx: GraphQLContext, user: TwoFactorUser, code: string): Promise<void> {
  const check = await checkTwoFactorCode(ctx.db, ctx.signInLimiters, user, code, ctx.remoteAddress);
  if (check.ok) return;
  if (check.rateLimited) throw rateLimited(TOO_MANY_ATTEMPTS);
  if (check.notEnabled) throw badInput('Two-factor sign-in is not on', 'code');
  throw badInput(WRONG_CODE, 'code');
}

export const accountSecurityResolvers: IResolvers<unknown, GraphQLContext> = {
  Query: {
    async appPasswords(_root, _args, ctx: GraphQLContext) {
      return listAppPasswords(ctx.db, sessionUser(ctx.viewer)._id);
    },

    async twoFactor(_root, _args, ctx: GraphQLContext) {
      return twoFactorStatus(ctx.db, sessionUser(ctx.viewer)._id);
    },
  },

  Mutation: {
    async changePassword(_root, args: { currentPassword: string; newPassword: string }, ctx: GraphQLContext) {
      const user = sessionUser(ctx.viewer);
      let newPassword: string;
      try {
        newPassword = checkPassword(args.newPassword, 'newPassword');
      } catch (error) {
        if (error instanceof InputError) throw badInput(error.problem.message, error.problem.field);
        throw error;
      }
      // the current password is guessed no faster here than at signIn: same limiters
      if (await signInLimited(ctx.signInLimiters, user.address, ctx.remoteAddress))
        throw rateLimited(TOO_MANY_ATTEMPTS);
      if (!(await authenticateUser(ctx.db, user.address, args.currentPassword))) {
        await countSignInFailure(ctx.signInLimiters, user.address, ctx.remoteAddress);
        throw badInput('The current password is wrong', 'currentPassword');
      }
      if (!(await setOwnPassword(ctx.db, user._id, newPassword, ctx.store.locks))) throw unauthenticated();
      ctx.logger.info({ user: user.id }, 'password changed');
      return true;
    },

    async createAppPassword(
      _root,
      args: { name: string; scopes?: AppPasswordScope[] | null },
      ctx: GraphQLContext,
    ) {
      const user = sessionUser(ctx.viewer);
      const name = args.name.trim();
      if (!name || name.length > MAX_APP_PASSWORD_NAME_LENGTH)
        throw badInput(`"name" must be 1 to ${MAX_APP_PASSWORD_NAME_LENGTH} characters`, 'name');
      const asked = args.scopes ?? DEFAULT_APP_PASSWORD_SCOPES;
      const scopes = APP_PASSWORD_SCOPES.filter((scope) => asked.includes(scope));
      if (!scopes.length) throw badInput('"scopes" must name at least one scope', 'scopes');
      const created = await createAppPassword(ctx.db, { user: user._id, name, scopes });
      if (!created.ok)
        throw forbidden(
          `You hold ${MAX_APP_PASSWORDS_PER_USER} app passwords, the most allowed; revoke one first`,
        );
      ctx.logger.info(
        { user: user.id, appPassword: created.appPassword._id.toHexString(), scopes },
        'app password created',
      );
      return { password: created.password, appPassword: created.appPassword };
    },

    async revokeAppPassword(_root, args: { id: string }, ctx: GraphQLContext) {
      const user = sessionUser(ctx.viewer);
      const id = parseObjectId(args.id);
      // another user's id answers the same as no such id: ids do not leak
      if (!id || !(await revokeAppPassword(ctx.db, user._id, id))) throw notFound('No such app password');
      ctx.logger.info({ user: user.id, appPassword: args.id }, 'app password revoked');
      return true;
    },

    async beginTwoFactorSetup(_root, _args, ctx: GraphQLContext) {
      const user = sessionUser(ctx.viewer);
      const setup = await beginTwoFactorSetup(ctx.db, user);
      if (!setup.ok)
        throw forbidden('Two-factor sign-in is already on; turn it off first to set up a new authenticator');
      const qrCodeSvg = await QRCode.toString(setup.otpauthUrl, { type: 'svg', margin: 2 });
      return { secret: setup.secret, otpauthUrl: setup.otpauthUrl, qrCodeSvg };
    },

    async confirmTwoFactor(_root, args: { code: string }, ctx: GraphQLContext) {
      const user = sessionUser(ctx.viewer);
      const outcome = await confirmTwoFactorSetup(
        ctx.db,
        ctx.signInLimiters,
        user,
        args.code,
        ctx.remoteAddress,
      );
      if (!outcome.ok) {
        switch (outcome.reason) {
          case 'RATE_LIMITED':
            throw rateLimited(TOO_MANY_ATTEMPTS);
          case 'ALREADY_ENABLED':
            throw forbidden('Two-factor sign-in is already on');
          case 'NO_SETUP':
            throw badInput('No set-up in progress: call beginTwoFactorSetup first', 'code');
          case 'WRONG_CODE':
            throw badInput(WRONG_CODE, 'code');
        }
      }
      ctx.logger.info({ user: user.id }, 'two-factor sign-in turned on');
      return { codes: outcome.recoveryCodes };
    },

    async disableTwoFactor(_root, args: { code: string }, ctx: GraphQLContext) {
      const user = sessionUser(ctx.viewer);
      await requireCode(ctx, user, args.code);
      await removeTwoFactor(ctx.db, user._id);
      ctx.logger.info({ user: user.id }, 'two-factor sign-in turned off');
      return true;
    },

    async regenerateRecoveryCodes(_root, args: { code: string }, ctx: GraphQLContext) {
      const user = sessionUser(ctx.viewer);
      await requireCode(ctx, user, args.code);
      const codes = await renewRecoveryCodes(ctx.db, user._id);
      ctx.logger.info({ user: user.id }, 'recovery codes renewed');
      return { codes };
    },

    async resetTwoFactor(_root, args: { userId: string }, ctx: GraphQLContext) {
      requireAdmin(ctx.viewer);
      const id = parseObjectId(args.userId);
      const target = id && (await findUserById(ctx.db, id));
      if (!target) throw notFound('No such user');
      const wasSetUp = await removeTwoFactor(ctx.db, target._id);
      const by = ctx.viewer?.kind === 'user' ? ctx.viewer.userId.toHexString() : 'api-token';
      ctx.logger.warn(
        { user: target._id.toHexString(), address: target.address, by, wasSetUp },
        'two-factor sign-in reset by an administrator',
      );
      return true;
    },
  },

  User: {
    twoFactorEnabled: (user: UserParent, _args, ctx: GraphQLContext) => twoFactorEnabled(ctx.db, user._id),
  },

  AppPassword: {
    id: (appPassword: AppPasswordDocument) => appPassword._id.toHexString(),
  },
};
