// Admin console (/admin). Administrators only, checked here on the server (and again by the
// API on every call). The first figures, page of users, history and feed (with the cursor the
// live feed resumes from) are read here; the console follows the feed from there.
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AdminConsole } from '@/admin/admin-console';
import { AdminsOnlyPage } from '@/admin/admins-only-page';
import {
  FEED_START_QUERY,
  STATS_HISTORY_QUERY,
  type AdminEvent,
  type StatsPoint,
} from '@/admin/feed-operations';
import { STATS_QUERY, USERS_QUERY, usersVariables, type UserQuery } from '@/admin/operations';
import type { ServerStats, UserConnection } from '@/client/api-types';
import { AppHeader } from '@/components/app-header';
import { NoticePanel } from '@/components/notice-panel';
import { ApiRequestError, queryApi } from '@/server/api-graphql';
import { getApiToken, requireSession } from '@/server/session';

export const metadata: Metadata = { title: 'Admin console' };

const INITIAL_QUERY: UserQuery = { search: '', field: 'address', descending: false };

export default async function AdminPage() {
  const session = await requireSession('/admin');
  if (session.user.role !== 'admin') {
    return (
      <AdminsOnlyPage session={session} advice="Sign in with an administrator account to manage users." />
    );
  }

  const token = await getApiToken();
  if (!token) redirect('/session-expired?callbackUrl=%2Fadmin');
  let data: {
    stats: ServerStats;
    users: UserConnection;
    feed: { cursor: string; events: AdminEvent[] };
    history: StatsPoint[];
  } | null = null;
  let problem: string | null = null;
  try {
    const [stats, users, feed, history] = await Promise.all([
      queryApi<{ stats: ServerStats }>(token, STATS_QUERY),
      queryApi<{ users: UserConnection }>(token, USERS_QUERY, usersVariables(INITIAL_QUERY, 50)),
      queryApi<{ adminEventsCursor: string; recentAdminEvents: AdminEvent[] }>(token, FEED_START_QUERY, {
        first: 30,
      }),
      queryApi<{ statsHistory: StatsPoint[] }>(token, STATS_HISTORY_QUERY, { range: 'HOUR' }),
    ]);
    data = {
      stats: stats.stats,
      users: users.users,
      feed: { cursor: feed.adminEventsCursor, events: feed.recentAdminEvents },
      history: history.statsHistory,
    };
  } catch (error) {
    if (error instanceof ApiRequestError && error.code === 'UNAUTHENTICATED') {
      redirect('/session-expired?callbackUrl=%2Fadmin');
    }
    problem =
      error instanceof ApiRequestError && error.code === 'FORBIDDEN'
        ? 'The API says this account is not an administrator (any more). Sign out and in again.'
        : (error as Error).message;
  }

  return (
    <>
      <AppHeader session={session} current="/admin" />
      <main id="main" className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
        {data ? (
          <AdminConsole
            self={session.user.address}
            initialStats={data.stats}
            initialUsers={data.users}
            initialQuery={INITIAL_QUERY}
            initialFeed={data.feed}
            initialHistory={data.history}
          />
        ) : (
          <NoticePanel title="The admin console cannot be shown right now" tone="warning">
            <p>The API did not answer as expected: {problem}</p>
            <p>
              Wait a moment and{' '}
              <a href="/admin" className="font-semibold text-brand-700 underline">
                try again
              </a>
              .
            </p>
          </NoticePanel>
        )}
      </main>
    </>
  );
}
