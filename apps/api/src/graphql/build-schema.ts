import { makeExecutableSchema } from '@graphql-tools/schema';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import { allResolvers } from './resolvers/index.js';
import { typeDefs } from './schema/index.js';

/** The executable schema: the SDL modules with their resolvers. */
export function buildSchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs, resolvers: allResolvers() });
}

/** The SDL as checked in at apps/api/schema.graphql (a test keeps the two the same). */
export function printSdl(schema = buildSchema()): string {
  return `${printSchemaWithDirectives(schema).trim()}\n`;
}
