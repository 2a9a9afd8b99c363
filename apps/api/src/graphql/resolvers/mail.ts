import type { IResolvers } from '@graphql-tools/utils';
import type { GraphQLContext } from '../context.js';

/** Resolvers of schema/mail.ts. */
export const mailResolvers: IResolvers<unknown, GraphQLContext> = {};
