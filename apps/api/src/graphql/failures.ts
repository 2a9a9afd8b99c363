/**
 * Domain failures (../failures.ts) as GraphQL errors: every resolver of the schema is wrapped so
 * that a RequestFailure it throws reaches the client as BAD_USER_INPUT naming the field, NOT_FOUND,
 * OVER_QUOTA or SERVICE_UNAVAILABLE, over HTTP and graphql-ws alike. Other errors pass unchanged.
 */
import { GraphQLScalarType } from 'graphql';
import type { IResolvers } from '@graphql-tools/utils';
import { RequestFailure } from '../failures.js';
import { badInput, forbidden, notFound, overQuota, serviceUnavailable } from './errors.js';

/** The GraphQL error of a domain failure; anything else unchanged. */
export function graphQLFailure(error: unknown): unknown {
  if (!(error instanceof RequestFailure)) return error;
  switch (error.code) {
    case 'NOT_FOUND':
      return notFound(error.message);
    case 'FORBIDDEN':
      return forbidden(error.message);
    case 'OVER_QUOTA':
      return error.message ? overQuota(error.message) : overQuota();
    case 'UNAVAILABLE':
      return serviceUnavailable(error.message);
    case 'INVALID_INPUT':
      return badInput(error.message, error.field);
  }
}

type Resolver = (this: unknown, ...args: unknown[]) => unknown;

/** The resolver, its domain failures worded for GraphQL (a synchronous resolver stays synchronous). */
function translating(resolve: Resolver): Resolver {
  return function (this: unknown, ...args: unknown[]) {
    let result: unknown;
    try {
      result = resolve.apply(this, args);
    } catch (error) {
      throw graphQLFailure(error);
    }
    return result instanceof Promise
      ? result.catch((error: unknown) => {
          throw graphQLFailure(error);
        })
      : result;
  };
}

/** The same resolver maps, each field's `resolve` and `subscribe` wrapped by `translating`. */
export function translateFailures<Context>(
  resolvers: IResolvers<unknown, Context>,
): IResolvers<unknown, Context> {
  const translated: Record<string, unknown> = {};
  for (const [typeName, fields] of Object.entries(resolvers)) {
    if (fields instanceof GraphQLScalarType || typeof fields !== 'object' || fields === null) {
      translated[typeName] = fields;
      continue;
    }
    const wrapped: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(fields as Record<string, unknown>)) {
      if (typeof field === 'function') {
        wrapped[name] = translating(field as Resolver);
      } else if (typeof field === 'object' && field !== null) {
        const options = { ...(field as Record<string, unknown>) };
        for (const key of ['resolve', 'subscribe'] as const) {
          if (typeof options[key] === 'function') options[key] = translating(options[key] as Resolver);
        }
        wrapped[name] = options;
      } else {
        wrapped[name] = field;
      }
    }
    translated[typeName] = wrapped;
  }
  return translated as IResolvers<unknown, Context>;
}
