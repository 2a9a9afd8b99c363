import { GraphQLError } from 'graphql';
import type { IResolvers } from '@graphql-tools/utils';
import {
  getMailSettings,
  setFilterRules,
  setForwarding,
  setVacation,
  type MailSettings,
} from '@wildduck/store';
import { settingsToSieve } from '@wildduck/mail-service';
import type { GraphQLContext } from '../context.js';
import { requireUser } from '../viewer.js';
import {
  forwardingFromInput,
  rulesFromInput,
  vacationFromInput,
  type FilterRuleInput,
  type ForwardingInput,
  type VacationInput,
} from '../../filters/settings-input.js';
import {
  SieveSyntaxFailure,
  activateScript,
  checkSieve,
  deleteScript,
  findScript,
  listScripts,
  renameScript,
  storeScript,
} from '../../filters/sieve-scripts.js';

/**
 * Resolvers of the mail-settings part of schema/settings.ts: vacation, forwarding, the form's
 * filter rules and the Sieve scripts. Queries need the read scope, changes the write scope. The
 * store moves the user's filters stamp on every change of what delivery runs (store
 * filters-stamp.ts), so delivery reloads the filters it cached.
 */
export const mailSettingsResolvers: IResolvers<unknown, GraphQLContext> = {
  Query: {
    async mailSettings(_root, _args, ctx: GraphQLContext) {
      const viewer = requireUser(ctx.viewer, 'read');
      return settingsResult(await getMailSettings(ctx.db, viewer.userId));
    },
    sieveScripts: (_root, _args, ctx: GraphQLContext) =>
      listScripts(ctx.db, requireUser(ctx.viewer, 'read').userId),
    sieveScript: (_root, args: { name: string }, ctx: GraphQLContext) =>
      findScript(ctx.db, requireUser(ctx.viewer, 'read').userId, args.name),
    checkSieve(_root, args: { content: string }, ctx: GraphQLContext) {
      requireUser(ctx.viewer, 'read');
      const problems = checkSieve(args.content);
      return { ok: problems.length === 0, problems };
    },
  },
  Mutation: {
    async setVacation(_root, args: { input: VacationInput }, ctx: GraphQLContext) {
      const viewer = requireUser(ctx.viewer, 'write');
      const current = await getMailSettings(ctx.db, viewer.userId);
      const vacation = vacationFromInput(args.input, current.vacation);
      const saved = await setVacation(ctx.db, viewer.userId, vacation, ctx.store.locks);
      return saved.vacation;
    },
    async setForwarding(_root, args: { input: ForwardingInput }, ctx: GraphQLContext) {
      const viewer = requireUser(ctx.viewer, 'write');
      const forwarding = forwardingFromInput(args.input, viewer.address);
      const saved = await setForwarding(ctx.db, viewer.userId, forwarding, ctx.store.locks);
      return saved.forwarding;
    },
    async setFilterRules(_root, args: { rules: FilterRuleInput[] }, ctx: GraphQLContext) {
      const viewer = requireUser(ctx.viewer, 'write');
      const rules = rulesFromInput(args.rules, viewer.address);
      const saved = await setFilterRules(ctx.db, viewer.userId, rules, ctx.store.locks);
      return saved.filterRules;
    },
    async putSieveScript(
      _root,
      args: { name: string; content: string; activate?: boolean | null },
      ctx: GraphQLContext,
    ) {
      const viewer = requireUser(ctx.viewer, 'write');
      try {
        return await storeScript(
          ctx.db,
          viewer.userId,
          args.name,
          args.content,
          args.activate ?? false,
          ctx.store.locks,
        );
      } catch (error) {
        if (!(error instanceof SieveSyntaxFailure)) throw error;
        throw new GraphQLError(error.message, {
          extensions: { code: 'BAD_USER_INPUT', field: 'content', problems: error.problems },
        });
      }
    },
    async activateSieveScript(_root, args: { name?: string | null }, ctx: GraphQLContext) {
      const viewer = requireUser(ctx.viewer, 'write');
      await activateScript(ctx.db, viewer.userId, args.name ?? null, ctx.store.locks);
      return true;
    },
    async deleteSieveScript(_root, args: { name: string }, ctx: GraphQLContext) {
      const viewer = requireUser(ctx.viewer, 'write');
      await deleteScript(ctx.db, viewer.userId, args.name, ctx.store.locks);
      return true;
    },
    async renameSieveScript(_root, args: { name: string; newName: string }, ctx: GraphQLContext) {
      const viewer = requireUser(ctx.viewer, 'write');
      return renameScript(ctx.db, viewer.userId, args.name, args.newName, ctx.store.locks);
    },
  },
};

/** The settings as the MailSettings type shows them, with the Sieve they run as now. */
function settingsResult(settings: MailSettings) {
  return {
    vacation: settings.vacation,
    forwarding: settings.forwarding,
    filterRules: settings.filterRules,
    generatedSieve: settingsToSieve(settings, new Date()),
    lastFilterError: settings.lastFilterError,
  };
}
