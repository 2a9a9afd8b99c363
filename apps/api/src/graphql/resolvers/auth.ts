import type { IResolvers } from '@graphql-tools/utils';
import type { GraphQLContext } from '../context.js';

/** Resolvers of schema/auth.ts. */
export const authResolvers: IResolvers<unknown, GraphQLContext> = {};
