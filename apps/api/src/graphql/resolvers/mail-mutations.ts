import type { IResolvers } from '@graphql-tools/utils';
import type { GraphQLContext } from '../context.js';

/** Resolvers of the Mutation fields of schema/mail.ts. */
export const mailMutationResolvers: IResolvers<unknown, GraphQLContext> = {};
