import type { ApiServices } from '../services.js';
import type { Viewer } from './viewer.js';

export type { ApiServices } from '../services.js';

/** The context of one GraphQL operation (HTTP request or graphql-ws subscription). */
export interface GraphQLContext extends ApiServices {
  viewer: Viewer | null;
  /** The client's address (rate limits). */
  remoteAddress: string;
  /** The bearer token as sent (signOut ends it). */
  token: string | null;
}
