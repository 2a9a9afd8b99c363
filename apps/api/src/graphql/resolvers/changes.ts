import type { IResolvers } from '@graphql-tools/utils';
import type { GraphQLContext } from '../context.js';

/** Resolvers of schema/changes.ts. */
export const changesResolvers: IResolvers<unknown, GraphQLContext> = {};
