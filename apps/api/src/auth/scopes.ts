import type { AccessTokenScope } from '@wildduck/store';

/** What a personal access token may do; session tokens and the API token may do everything. */
export type Scope = AccessTokenScope;
export const ALL_SCOPES: readonly Scope[] = ['read', 'write', 'send', 'subscribe'];
