import type { Logger } from 'pino';
import type { Db } from 'mongodb';
import type { StoreContext } from '@wildduck/store';
import type { ChangeBus } from '@wildduck/change-bus';
import type { RateLimiter } from '@wildduck/coordination';
import type { WebhookDispatcher } from '@wildduck/webhooks';
import type { Viewer } from './viewer.js';

/** What the resolvers share for the life of the process. */
export interface ApiServices {
  db: Db;
  store: StoreContext;
  bus: ChangeBus;
  logger: Logger;
  /** The server's API_TOKEN (acts as an administrator), when set. */
  apiToken: string | undefined;
  /** Base URL clients reach the API at (download links). */
  publicUrl: string;
  /** Failed sign-ins per account and per client address. */
  signInLimiters: { user: RateLimiter; address: RateLimiter };
  /** Where SPAM / NOT_SPAM webhooks go, when configured. */
  webhooks?: WebhookDispatcher;
  /** Smarthost for mail to outside addresses (GraphQL send); unset: local recipients only. */
  smarthost?: string;
  /** Our name in Received: and Message-ID. */
  serverName: string;
}

/** The context of one GraphQL operation (HTTP request or graphql-ws subscription). */
export interface GraphQLContext extends ApiServices {
  viewer: Viewer | null;
  /** The client's address (rate limits). */
  remoteAddress: string;
  /** The bearer token as sent (signOut ends it). */
  token: string | null;
}
