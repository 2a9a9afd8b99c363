'use client';
// The admin console: figures (users, messages, storage), deliveries per minute, a live feed of
// deliveries, and the users table with search, sort, create, edit and delete. Figures and the
// table refresh every few seconds while the page is visible.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ServerStats, User, UserConnection, UserOrderField } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { Icon } from '@/components/icons';
import { formatBytes } from '@/shared/format';
import { DeliveriesChart } from './deliveries-chart';
import { fetchStats, fetchUsers, type UserQuery } from './operations';
import { DeleteUserDialog, ResetTwoFactorDialog, UserFormDialog } from './user-dialogs';
import { UsersTable } from './users-table';
import { WebhookOutboxPanel } from './webhook-outbox-panel';

const POLL_MS = 4_000;
const PAGE_SIZE = 50;
const MAX_PAGE = 200;
const FEED_LENGTH = 12;

interface FeedEntry {
  id: string;
  at: string;
  count: number;
  recipients: string[];
}

/** The feed on first load: the last minutes that saw deliveries. */
function seedFeed(stats: ServerStats): FeedEntry[] {
  return stats.deliveries
    .filter((bucket) => bucket.count > 0)
    .slice(-5)
    .reverse()
    .map((bucket) => ({ id: bucket.minute, at: bucket.minute, count: bucket.count, recipients: [] }));
}

/** Deliveries counted since the previous figures (per-minute counts only grow, new minutes appear). */
function newDeliveries(before: ServerStats, after: ServerStats): number {
  const previous = new Map(before.deliveries.map((bucket) => [bucket.minute, bucket.count]));
  return after.deliveries.reduce(
    (sum, bucket) => sum + Math.max(0, bucket.count - (previous.get(bucket.minute) ?? 0)),
    0,
  );
}

export function AdminConsole({
  self,
  initialStats,
  initialUsers,
  initialQuery,
}: {
  self: string;
  initialStats: ServerStats;
  initialUsers: UserConnection;
  initialQuery: UserQuery;
}) {
  const [stats, setStats] = useState(initialStats);
  const [live, setLive] = useState<'live' | 'stale'>('live');
  const [feed, setFeed] = useState<FeedEntry[]>(() => seedFeed(initialStats));
  const [query, setQuery] = useState<UserQuery>(initialQuery);
  const [searchInput, setSearchInput] = useState(initialQuery.search);
  const [users, setUsers] = useState<User[]>(() => initialUsers.edges.map((edge) => edge.node));
  const [totalUsers, setTotalUsers] = useState(initialUsers.totalCount);
  const [endCursor, setEndCursor] = useState(initialUsers.pageInfo.endCursor);
  const [hasNext, setHasNext] = useState(initialUsers.pageInfo.hasNextPage);
  const [listState, setListState] = useState<{ status: 'ready' | 'loading' | 'error'; error?: string }>({
    status: 'ready',
  });
  const [dialog, setDialog] = useState<
    { kind: 'create' } | { kind: 'edit' | 'delete' | 'reset-two-factor'; user: User } | null
  >(null);
  const [notice, setNotice] = useState<string | null>(null);
  const statsRef = useRef(stats);
  const usersRef = useRef(users);
  const queryRef = useRef(query);
  useEffect(() => {
    usersRef.current = users;
    queryRef.current = query;
  }, [users, query]);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 5_000);
    return () => clearTimeout(timer);
  }, [notice]);

  /** Reads the table again for the current search and sort, as many rows as are shown. */
  const reloadUsers = useCallback(async (current: UserQuery, rows: number) => {
    const page = await fetchUsers(current, Math.min(MAX_PAGE, Math.max(PAGE_SIZE, rows)));
    if (queryRef.current !== current) return null;
    setUsers(page.edges.map((edge) => edge.node));
    setTotalUsers(page.totalCount);
    setEndCursor(page.pageInfo.endCursor);
    setHasNext(page.pageInfo.hasNextPage);
    return page;
  }, []);

  // A new search or sort reads the first page.
  const firstQuery = useRef(true);
  useEffect(() => {
    if (firstQuery.current) {
      firstQuery.current = false;
      return;
    }
    setListState({ status: 'loading' });
    reloadUsers(query, PAGE_SIZE)
      .then(() => setListState({ status: 'ready' }))
      .catch((error: unknown) => setListState({ status: 'error', error: describeError(error) }));
  }, [query, reloadUsers]);

  // The search box applies a moment after typing stops.
  useEffect(() => {
    if (searchInput === queryRef.current.search) return;
    const timer = setTimeout(() => setQuery((current) => ({ ...current, search: searchInput })), 300);
    return () => clearTimeout(timer);
  }, [searchInput]);

  // Figures every few seconds; when they moved, the table too, and the feed says who got mail.
  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      if (document.visibilityState !== 'visible') return;
      try {
        const fresh = await fetchStats();
        if (stopped) return;
        const before = statsRef.current;
        statsRef.current = fresh;
        setStats(fresh);
        setLive('live');
        const delivered = newDeliveries(before, fresh);
        const moved =
          fresh.messages !== before.messages ||
          fresh.storage !== before.storage ||
          fresh.users !== before.users;
        if (!moved && !delivered) return;
        const counts = new Map(usersRef.current.map((user) => [user.id, user.messageCount]));
        const page = await reloadUsers(queryRef.current, usersRef.current.length);
        if (!delivered || stopped) return;
        const recipients = (page?.edges ?? [])
          .filter((edge) => edge.node.messageCount > (counts.get(edge.node.id) ?? edge.node.messageCount))
          .map((edge) => edge.node.address);
        const at = new Date().toISOString();
        setFeed((entries) =>
          [{ id: `${at}-${delivered}`, at, count: delivered, recipients }, ...entries].slice(0, FEED_LENGTH),
        );
      } catch {
        if (!stopped) setLive('stale');
      }
    };
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [reloadUsers]);

  const loadMore = async () => {
    if (!endCursor) return;
    setListState({ status: 'loading' });
    try {
      const page = await fetchUsers(query, PAGE_SIZE, endCursor);
      setUsers((current) => {
        const known = new Set(current.map((user) => user.id));
        return [...current, ...page.edges.map((edge) => edge.node).filter((user) => !known.has(user.id))];
      });
      setEndCursor(page.pageInfo.endCursor);
      setHasNext(page.pageInfo.hasNextPage);
      setListState({ status: 'ready' });
    } catch (error) {
      setListState({ status: 'error', error: describeError(error) });
    }
  };

  const sortBy = (field: UserOrderField) =>
    setQuery((current) => ({
      ...current,
      field,
      // a new column starts with what one usually wants first: A–Z, biggest, newest
      descending: current.field === field ? !current.descending : field !== 'address',
    }));

  const refreshAll = () => {
    void fetchStats()
      .then((fresh) => {
        statsRef.current = fresh;
        setStats(fresh);
      })
      .catch(() => undefined);
    void reloadUsers(queryRef.current, usersRef.current.length).catch(() => undefined);
  };

  return (
    <div className="space-y-8">
      <section aria-labelledby="overview-title">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h1 id="overview-title" className="text-2xl font-semibold tracking-tight text-slate-900">
            Overview
          </h1>
          <span
            role="status"
            className="flex items-center gap-1.5 text-xs text-slate-600"
            data-testid="admin-live"
          >
            <span
              className={`h-2 w-2 rounded-full ${live === 'live' ? 'bg-emerald-500' : 'bg-amber-500'}`}
              aria-hidden="true"
            />
            {live === 'live'
              ? `Updates every ${POLL_MS / 1000} seconds`
              : 'The API is not answering; figures may be out of date'}
          </span>
        </div>
        <dl className="mt-4 grid gap-4 sm:grid-cols-3">
          {[
            { label: 'Users', value: stats.users.toLocaleString('en'), testId: 'stat-users' },
            { label: 'Messages', value: stats.messages.toLocaleString('en'), testId: 'stat-messages' },
            { label: 'Storage', value: formatBytes(stats.storage), testId: 'stat-storage' },
          ].map((item) => (
            <div key={item.label} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
              <dt className="text-sm text-slate-600">{item.label}</dt>
              <dd
                className="mt-1 text-3xl font-semibold tracking-tight text-slate-900 tabular-nums"
                data-testid={item.testId}
              >
                {item.value}
              </dd>
            </div>
          ))}
        </dl>
        <div className="mt-4 grid gap-4 lg:grid-cols-[2fr_1fr]">
          <DeliveriesChart deliveries={stats.deliveries} />
          <section
            aria-labelledby="feed-title"
            className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm"
          >
            <h2 id="feed-title" className="font-semibold text-slate-900">
              Live deliveries
            </h2>
            {feed.length ? (
              <ol className="mt-3 space-y-2 text-sm" aria-live="polite" data-testid="delivery-feed">
                {feed.map((entry) => (
                  <li key={entry.id} className="flex gap-3 border-b border-slate-100 pb-2 last:border-0">
                    <time
                      dateTime={entry.at}
                      className="shrink-0 text-slate-600 tabular-nums"
                      suppressHydrationWarning
                    >
                      {new Date(entry.at).toLocaleTimeString('en-GB', {
                        hour: '2-digit',
                        minute: '2-digit',
                        second: entry.recipients.length ? '2-digit' : undefined,
                      })}
                    </time>
                    <span className="min-w-0 text-slate-800">
                      {entry.count} {entry.count === 1 ? 'message' : 'messages'} delivered
                      {entry.recipients.length ? (
                        <>
                          {' '}
                          to{' '}
                          <span className="font-medium [overflow-wrap:anywhere]">
                            {entry.recipients.join(', ')}
                          </span>
                        </>
                      ) : null}
                    </span>
                  </li>
                ))}
              </ol>
            ) : (
              <p className="mt-3 text-sm text-slate-600" aria-live="polite">
                No deliveries in the last hour. New ones appear here as they arrive.
              </p>
            )}
          </section>
        </div>
      </section>

      <section
        aria-labelledby="users-title"
        className="rounded-xl border border-slate-200 bg-white shadow-sm"
      >
        <div className="flex flex-wrap items-center gap-3 border-b border-slate-200 px-5 py-4">
          <h2 id="users-title" className="text-lg font-semibold text-slate-900">
            Users{' '}
            <span className="text-sm font-normal text-slate-600">({totalUsers.toLocaleString('en')})</span>
          </h2>
          <div className="ml-auto flex flex-wrap items-center gap-2">
            <label htmlFor="user-search" className="sr-only">
              Search users by address
            </label>
            <div className="flex items-center gap-1 rounded-lg border border-slate-300 px-2 focus-within:border-brand-600 focus-within:ring-2 focus-within:ring-brand-200">
              <Icon name="search" className="h-4 w-4 text-slate-500" />
              <input
                id="user-search"
                type="search"
                value={searchInput}
                onChange={(event) => setSearchInput(event.target.value)}
                placeholder="Search by address"
                className="w-52 bg-transparent py-1.5 text-sm outline-none"
              />
            </div>
            <button
              type="button"
              onClick={refreshAll}
              className="rounded-lg border border-slate-300 p-2 text-slate-700 hover:bg-slate-50"
              aria-label="Refresh"
            >
              <Icon name="refresh" className="h-4 w-4" />
            </button>
            <button
              type="button"
              onClick={() => setDialog({ kind: 'create' })}
              className="flex items-center gap-1.5 rounded-lg bg-brand-700 px-3.5 py-2 text-sm font-semibold text-white hover:bg-brand-600"
            >
              <Icon name="plus" className="h-4 w-4" />
              New user
            </button>
          </div>
        </div>
        {listState.status === 'error' ? (
          <div
            role="alert"
            className="m-5 rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900"
          >
            The users could not be loaded: {listState.error}{' '}
            <button type="button" onClick={refreshAll} className="font-semibold underline">
              Try again
            </button>
          </div>
        ) : null}
        {users.length ? (
          <UsersTable
            users={users}
            self={self}
            sort={query}
            onSort={sortBy}
            onEdit={(user) => setDialog({ kind: 'edit', user })}
            onDelete={(user) => setDialog({ kind: 'delete', user })}
            onResetTwoFactor={(user) => setDialog({ kind: 'reset-two-factor', user })}
          />
        ) : listState.status === 'ready' ? (
          <p className="px-5 py-10 text-center text-slate-600">
            {query.search ? `No user address contains “${query.search}”.` : 'There are no users yet.'}
          </p>
        ) : null}
        <div
          className="flex items-center justify-between gap-2 px-5 py-3 text-sm text-slate-600"
          aria-live="polite"
        >
          <span>
            {listState.status === 'loading'
              ? 'Loading…'
              : `Showing ${users.length.toLocaleString('en')} of ${totalUsers.toLocaleString('en')}`}
          </span>
          {hasNext ? (
            <button
              type="button"
              onClick={() => void loadMore()}
              disabled={listState.status === 'loading'}
              className="rounded-md border border-slate-300 px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-50"
            >
              Show more
            </button>
          ) : null}
        </div>
      </section>

      <WebhookOutboxPanel />

      {dialog?.kind === 'create' || dialog?.kind === 'edit' ? (
        <UserFormDialog
          user={dialog.kind === 'edit' ? dialog.user : undefined}
          self={self}
          onClose={() => setDialog(null)}
          onSaved={(user, created) => {
            setDialog(null);
            setNotice(created ? `${user.address} created.` : `${user.address} updated.`);
            refreshAll();
          }}
        />
      ) : null}
      {dialog?.kind === 'delete' ? (
        <DeleteUserDialog
          user={dialog.user}
          onClose={() => setDialog(null)}
          onDeleted={(user) => {
            setDialog(null);
            setUsers((current) => current.filter((other) => other.id !== user.id));
            setNotice(`${user.address} deleted.`);
            refreshAll();
          }}
        />
      ) : null}
      {dialog?.kind === 'reset-two-factor' ? (
        <ResetTwoFactorDialog
          user={dialog.user}
          onClose={() => setDialog(null)}
          onReset={(user) => {
            setDialog(null);
            setNotice(`Two-factor sign-in of ${user.address} is off.`);
            refreshAll();
          }}
        />
      ) : null}
      <div
        aria-live="polite"
        className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex justify-center px-4"
      >
        {notice ? (
          <p
            role="status"
            className="pointer-events-auto rounded-lg bg-slate-900 px-4 py-2.5 text-sm font-medium text-white shadow-lg"
            data-testid="notice"
          >
            {notice}
          </p>
        ) : null}
      </div>
    </div>
  );
}
