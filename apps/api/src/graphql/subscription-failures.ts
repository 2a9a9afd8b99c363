import { GraphQLError } from 'graphql';
import { graphQLFailure } from './failures.js';

/**
 * A live feed's iterator with the failure that ends it worded for GraphQL: graphql-ws sends the
 * message and extensions of the error the iterator rejects with. A failure of the feed's own
 * (`isFeedFailure`: logged where it happened) is an INTERNAL_SERVER_ERROR that tells the client
 * to resubscribe with its last cursor; any other is worded as every resolver words it.
 */
export function withGraphQLFailures<T>(
  feed: AsyncIterableIterator<T>,
  isFeedFailure: (error: unknown) => error is Error,
): AsyncIterableIterator<T> {
  const worded = (error: unknown): unknown =>
    isFeedFailure(error)
      ? new GraphQLError(error.message, { extensions: { code: 'INTERNAL_SERVER_ERROR' } })
      : graphQLFailure(error);
  return {
    next: () =>
      feed.next().catch((error: unknown) => {
        throw worded(error);
      }),
    return: () => feed.return?.() ?? Promise.resolve({ value: undefined, done: true }),
    throw: () => feed.throw?.() ?? Promise.resolve({ value: undefined, done: true }),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
