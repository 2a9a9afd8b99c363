import type { IResolvers } from '@graphql-tools/utils';
import type { GraphQLContext } from '../context.js';

/** Resolvers of schema/admin.ts. */
export const adminResolvers: IResolvers<unknown, GraphQLContext> = {};
