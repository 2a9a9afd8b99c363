// The GraphQL operations of the admin console (administrators only; the API checks the role).
import { gql } from '@/client/graphql';
import type {
  Role,
  ServerStats,
  User,
  UserConnection,
  UserOrderField,
  WebhookOutbox,
} from '@/client/api-types';

export const USER_FIELDS =
  'id address name role quota storageUsed disabled created messageCount twoFactorEnabled';

export const STATS_QUERY = `query Stats { stats { users messages storage deliveries { minute count } } }`;

export const USERS_QUERY = `query Users($search: String, $first: Int, $after: String, $orderBy: UserOrder) {
  users(search: $search, first: $first, after: $after, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { ${USER_FIELDS} } }
  }
}`;

export interface UserQuery {
  search: string;
  field: UserOrderField;
  descending: boolean;
}

/** The variables of USERS_QUERY for a search and sort order. */
export function usersVariables(query: UserQuery, first: number, after: string | null = null) {
  return {
    search: query.search.trim() || null,
    first,
    after,
    orderBy: { field: query.field, descending: query.descending },
  };
}

export async function fetchStats(): Promise<ServerStats> {
  return (await gql<{ stats: ServerStats }>(STATS_QUERY)).stats;
}

export async function fetchUsers(
  query: UserQuery,
  first: number,
  after: string | null = null,
): Promise<UserConnection> {
  return (await gql<{ users: UserConnection }>(USERS_QUERY, usersVariables(query, first, after))).users;
}

export interface UserFields {
  name?: string | null;
  password?: string;
  role?: Role;
  quota?: number | null;
  disabled?: boolean;
}

export async function createUser(address: string, password: string, fields: UserFields): Promise<User> {
  const data = await gql<{ createUser: User }>(
    `mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { ${USER_FIELDS} } }`,
    {
      input: {
        address,
        password,
        name: fields.name ?? null,
        role: fields.role ?? 'user',
        quota: fields.quota ?? null,
      },
    },
  );
  return data.createUser;
}

export async function updateUser(id: string, input: UserFields): Promise<User> {
  const data = await gql<{ updateUser: User }>(
    `mutation UpdateUser($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { ${USER_FIELDS} } }`,
    { id, input },
  );
  return data.updateUser;
}

export async function deleteUser(id: string): Promise<boolean> {
  return (await gql<{ deleteUser: boolean }>(`mutation DeleteUser($id: ID!) { deleteUser(id: $id) }`, { id }))
    .deleteUser;
}

/** Turns a user's two-factor sign-in off (they sign in with their password alone again). */
export async function resetTwoFactor(id: string): Promise<boolean> {
  return (
    await gql<{ resetTwoFactor: boolean }>(
      `mutation ResetTwoFactor($userId: ID!) { resetTwoFactor(userId: $userId) }`,
      {
        userId: id,
      },
    )
  ).resetTwoFactor;
}

export const WEBHOOK_OUTBOX_QUERY = `query WebhookOutbox($recent: Int) {
  webhookOutbox(recent: $recent) {
    pending failed oldestPendingAt
    recent { id type url state attempts lastError lastAttemptAt nextAttemptAt failedAt }
  }
}`;

export async function fetchWebhookOutbox(recent = 20): Promise<WebhookOutbox> {
  return (await gql<{ webhookOutbox: WebhookOutbox }>(WEBHOOK_OUTBOX_QUERY, { recent })).webhookOutbox;
}

/** Queues a failed webhook delivery again; false when it is no longer failed. */
export async function retryWebhookDelivery(id: string): Promise<boolean> {
  return (
    await gql<{ retryWebhookDelivery: boolean }>(
      `mutation RetryWebhookDelivery($id: ID!) { retryWebhookDelivery(id: $id) }`,
      { id },
    )
  ).retryWebhookDelivery;
}
