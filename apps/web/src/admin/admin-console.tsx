'use client';
// The admin console: figures (users, messages, storage), deliveries and storage over time, the
// live feed of the server's activity (deliveries, sign-ins, failures, quota warnings) and the
// users table with search, sort, create, edit and delete. Nothing is polled: the figures, charts
// and table are read again when the feed reports deliveries (a moment after the last one).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ServerStats, User, UserConnection, UserOrderField } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { Icon } from '@/components/icons';
import { formatBytes } from '@/shared/format';
import { AdminFeed } from './admin-feed';
import { AdminNotice } from './admin-notice';
import { ADMIN_EVENT_TYPES, type AdminEvent, type AdminEventType, type StatsPoint } from './feed-operations';
import { HistoryCharts } from './history-charts';
import { fetchStats, fetchUsers, type UserQuery } from './operations';
import { useAdminEvents } from './use-admin-events';
import { DeleteUserDialog, ResetTwoFactorDialog, UserFormDialog } from './user-dialogs';
import { UsersTable } from './users-table';
import { WebhookOutboxPanel } from './webhook-outbox-panel';

const PAGE_SIZE = 50;
const MAX_PAGE = 200;
const FEED_LENGTH = 100;
/** After deliveries, the figures are read again this long after the last one (a burst: once). */
const REFRESH_AFTER_MS = 1_000;

/** Events that change the figures, the charts or the users' storage. */
const CHANGES_FIGURES: ReadonlySet<AdminEventType> = new Set(['DELIVERY', 'QUOTA_WARNING']);

export function AdminConsole({
  self,
  initialStats,
  initialUsers,
  initialQuery,
  initialFeed,
  initialHistory,
}: {
  self: string;
  initialStats: ServerStats;
  initialUsers: UserConnection;
  initialQuery: UserQuery;
  /** The cursor of the moment the page was read, and the latest events then. */
  initialFeed: { cursor: string; events: AdminEvent[] };
  initialHistory: StatsPoint[] | null;
}) {
  const [stats, setStats] = useState(initialStats);
  const [feed, setFeed] = useState<AdminEvent[]>(initialFeed.events);
  const [shown, setShown] = useState<ReadonlySet<AdminEventType>>(() => new Set(ADMIN_EVENT_TYPES));
  const [historyKey, setHistoryKey] = useState(0);
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

  /**
   * Reads the figures, the charts and the table (as many rows as are shown) again: after the
   * feed reports deliveries, after an edit, and on Refresh. A failure leaves what is shown.
   */
  const refreshAll = useCallback(() => {
    void fetchStats()
      .then((fresh) => {
        statsRef.current = fresh;
        setStats(fresh);
      })
      .catch(() => undefined);
    setHistoryKey((key) => key + 1);
    void reloadUsers(queryRef.current, usersRef.current.length).catch(() => undefined);
  }, [reloadUsers]);

  // The live feed: deliveries read the figures, the charts and the table again, once per burst.
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onEvent = useCallback(
    (event: AdminEvent) => {
      setFeed((events) =>
        events.some((each) => each.id === event.id) ? events : [event, ...events].slice(0, FEED_LENGTH),
      );
      if (!CHANGES_FIGURES.has(event.type)) return;
      clearTimeout(refreshTimer.current);
      refreshTimer.current = setTimeout(refreshAll, REFRESH_AFTER_MS);
    },
    [refreshAll],
  );
  useEffect(() => () => clearTimeout(refreshTimer.current), []);
  const feedStatus = useAdminEvents(initialFeed.cursor, onEvent);
  const toggleType = (type: AdminEventType) =>
    setShown((current) => {
      const next = new Set(current);
      if (next.has(type)) next.delete(type);
      else next.add(type);
      return next;
    });

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

  return (
    <div className="space-y-8">
      <section aria-labelledby="overview-title">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h1 id="overview-title" className="text-2xl font-semibold tracking-tight text-slate-900">
            Overview
          </h1>
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
        <div className="mt-4 grid gap-4 lg:grid-cols-[3fr_2fr]">
          <HistoryCharts initial={initialHistory} refreshKey={historyKey} />
          <AdminFeed events={feed} shown={shown} onToggle={toggleType} status={feedStatus} />
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
      <AdminNotice notice={notice} />
    </div>
  );
}
