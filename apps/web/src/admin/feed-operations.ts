// The GraphQL operations of the admin feed, charts and user detail (administrators only; the API
// checks the role), with the shapes of what they select.
import type * as Api from '@/api/schema-types';
import { gql } from '@/client/graphql';
import { USER_FIELDS } from './operations';

export type AdminEventType = Api.AdminEventType;
export type StatsRange = Api.StatsRange;
export type AdminEvent = Pick<
  Api.AdminEvent,
  | 'cursor'
  | 'id'
  | 'type'
  | 'at'
  | 'userId'
  | 'address'
  | 'protocol'
  | 'remote'
  | 'detail'
  | 'size'
  | 'storageUsed'
  | 'quota'
>;
export type StatsPoint = Pick<Api.StatsPoint, 'at' | 'deliveries' | 'storage'>;
export type SessionInfo = Pick<Api.SessionInfo, 'id' | 'client' | 'created' | 'expires' | 'remote'>;
export type DetailMailbox = Pick<Api.Mailbox, 'id' | 'path' | 'specialUse' | 'total' | 'unseen' | 'size'>;
export type DetailAppPassword = Pick<
  Api.AppPassword,
  'id' | 'name' | 'scopes' | 'created' | 'lastUsed' | 'lastAddress'
>;
export type DetailUser = Pick<
  Api.User,
  | 'id'
  | 'address'
  | 'name'
  | 'role'
  | 'quota'
  | 'storageUsed'
  | 'disabled'
  | 'created'
  | 'messageCount'
  | 'twoFactorEnabled'
>;
export interface UserDetail {
  user: DetailUser;
  mailboxes: DetailMailbox[];
  sessions: SessionInfo[];
  appPasswords: DetailAppPassword[];
  recentEvents: AdminEvent[];
}

export const ADMIN_EVENT_TYPES: readonly AdminEventType[] = [
  'DELIVERY',
  'DELIVERY_FAILED',
  'SIGN_IN',
  'SIGN_IN_FAILED',
  'QUOTA_WARNING',
];

export const ADMIN_EVENT_FIELDS =
  'cursor id type at userId address protocol remote detail size storageUsed quota';

/** The cursor of now and the latest events: the console's first paint, then the feed resumes from the cursor. */
export const FEED_START_QUERY = `query AdminFeedStart($first: Int) {
  adminEventsCursor
  recentAdminEvents(first: $first) { ${ADMIN_EVENT_FIELDS} }
}`;

export const STATS_HISTORY_QUERY = `query StatsHistory($range: StatsRange!) {
  statsHistory(range: $range) { at deliveries storage }
}`;

export const USER_DETAIL_QUERY = `query UserDetail($id: ID!) {
  userDetail(id: $id) {
    user { ${USER_FIELDS} }
    mailboxes { id path specialUse total unseen size }
    sessions { id client created expires remote }
    appPasswords { id name scopes created lastUsed lastAddress }
    recentEvents { ${ADMIN_EVENT_FIELDS} }
  }
}`;

export async function fetchStatsHistory(range: StatsRange): Promise<StatsPoint[]> {
  return (await gql<{ statsHistory: StatsPoint[] }>(STATS_HISTORY_QUERY, { range })).statsHistory;
}

export async function fetchUserDetail(id: string): Promise<UserDetail | null> {
  return (await gql<{ userDetail: UserDetail | null }>(USER_DETAIL_QUERY, { id })).userDetail;
}
