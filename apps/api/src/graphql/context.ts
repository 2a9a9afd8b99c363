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
  /**
   * Who asks signIn for a session: 'web' when the web console's server says so (header
   * SIGN_IN_CLIENT_HEADER), which refuses app passwords so that two-factor guards the console;
   * 'api' otherwise. Claiming 'web' only makes sign-in stricter, so the header needs no trust.
   */
  signInClient?: 'web' | 'api';
}

/** The header the web console's server sends with its signIn calls. */
export const SIGN_IN_CLIENT_HEADER = 'x-wildduck-sign-in-client';
