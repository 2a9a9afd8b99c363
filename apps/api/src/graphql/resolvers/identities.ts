import type { IResolvers } from '@graphql-tools/utils';
import { suggestContacts } from '@wildduck/store';
import type { GraphQLContext } from '../context.js';
import { requireUser } from '../viewer.js';
import { invalidInput } from '../../failures.js';
import { deleteIdentity, listIdentities, saveIdentity, type IdentityInput } from '../../mail/identities.js';

/** Suggestions one call may ask for. */
const MAX_SUGGESTIONS = 50;
/** A longer prefix cannot start a word of a stored name or address. */
const MAX_PREFIX = 320;

/**
 * Identities with their signatures, and suggestions of addresses the user has written to
 * (schema/webmail.ts): each checks the caller's scope and calls one domain function.
 */
export const identityResolvers: IResolvers<unknown, GraphQLContext> = {
  Query: {
    identities: (_root, _args, ctx: GraphQLContext) => listIdentities(ctx, requireUser(ctx.viewer, 'read')),
    addressSuggestions: async (
      _root,
      args: { prefix: string; first?: number | null },
      ctx: GraphQLContext,
    ) => {
      const user = requireUser(ctx.viewer, 'read');
      const first = args.first ?? 8;
      if (!Number.isInteger(first) || first < 1 || first > MAX_SUGGESTIONS)
        throw invalidInput(`first must be from 1 to ${MAX_SUGGESTIONS}`, 'first');
      if (args.prefix.length > MAX_PREFIX) return [];
      const contacts = await suggestContacts(ctx.db, user.userId, args.prefix, first);
      return contacts.map((contact) => ({ name: contact.name || null, address: contact.address }));
    },
  },
  Mutation: {
    saveIdentity: (_root, args: { id?: string | null; input: IdentityInput }, ctx: GraphQLContext) =>
      saveIdentity(ctx, requireUser(ctx.viewer, 'write'), args.id, args.input),
    deleteIdentity: (_root, args: { id: string }, ctx: GraphQLContext) =>
      deleteIdentity(ctx, requireUser(ctx.viewer, 'write'), args.id),
  },
};
