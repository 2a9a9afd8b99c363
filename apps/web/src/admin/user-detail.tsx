'use client';
// What an administrator sees of one user (/admin/users/<id>): the account, storage against quota,
// mailboxes with counts and sizes, sign-in sessions, app passwords, shared folders with their
// access lists, and recent activity, with the actions: disable or enable, set the quota, reset
// two-factor sign-in, change who a folder is shared with.
import Link from 'next/link';
import { useState } from 'react';
import type { User } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { formatBytes } from '@/shared/format';
import { EventLine } from './admin-feed';
import { AdminNotice } from './admin-notice';
import { fetchUserDetail, type UserDetail } from './feed-operations';
import { StorageBar } from './storage-bar';
import { DisableUserDialog, SetQuotaDialog } from './user-action-dialogs';
import { ResetTwoFactorDialog } from './user-dialogs';
import { UserSharedFolders } from './user-shared-folders';

function when(iso: string | null | undefined): string {
  return iso
    ? new Date(iso).toLocaleString('en-GB', {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      })
    : '—';
}

const card = 'rounded-xl border border-slate-200 bg-white p-5 shadow-sm';
const actionButton =
  'rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50';

export function UserDetailView({ initial, self }: { initial: UserDetail; self: string }) {
  const [detail, setDetail] = useState(initial);
  const [dialog, setDialog] = useState<'disable' | 'quota' | 'two-factor' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { user } = detail;
  const isSelf = user.address === self;

  const reload = async (message: string) => {
    setDialog(null);
    setNotice(message);
    try {
      const fresh = await fetchUserDetail(user.id);
      if (fresh) setDetail(fresh);
    } catch (error) {
      setNotice(`${message} The page could not be read again: ${describeError(error)}`);
    }
  };

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/admin" className="text-brand-700 underline underline-offset-2">
          Admin console
        </Link>
        <span aria-hidden="true" className="mx-1.5 text-slate-400">
          /
        </span>
        <span className="text-slate-700">{user.address}</span>
      </nav>

      <section aria-labelledby="user-title" className={card}>
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <h1
              id="user-title"
              className="text-2xl font-semibold tracking-tight text-slate-900 [overflow-wrap:anywhere]"
            >
              {user.address}
            </h1>
            <p className="mt-1 text-sm text-slate-700">
              {user.name ? `${user.name} · ` : ''}
              {user.role === 'admin' ? 'Administrator' : 'User'} · created {when(user.created)}
            </p>
            <p className="mt-2 flex flex-wrap gap-2 text-xs" data-testid="user-badges">
              <span
                className={`rounded-full px-2 py-0.5 font-medium ${user.disabled ? 'bg-red-100 text-red-900' : 'bg-emerald-100 text-emerald-900'}`}
                data-testid="user-status"
              >
                {user.disabled ? 'Disabled' : 'Active'}
              </span>
              <span
                className="rounded-full bg-slate-100 px-2 py-0.5 font-medium text-slate-800"
                data-testid="user-two-factor"
              >
                {user.twoFactorEnabled ? 'Two-factor on' : 'Two-factor off'}
              </span>
            </p>
          </div>
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              className={actionButton}
              onClick={() => setDialog('disable')}
              disabled={isSelf}
              title={isSelf ? 'You cannot disable your own account' : undefined}
            >
              {user.disabled ? 'Enable account' : 'Disable account'}
            </button>
            <button type="button" className={actionButton} onClick={() => setDialog('quota')}>
              Set quota
            </button>
            {user.twoFactorEnabled ? (
              <button type="button" className={actionButton} onClick={() => setDialog('two-factor')}>
                Reset two-factor
              </button>
            ) : null}
          </div>
        </div>
        <div className="mt-4 max-w-md">
          <h2 className="text-sm font-medium text-slate-700">Storage</h2>
          <div className="mt-1" data-testid="detail-storage">
            <StorageBar used={user.storageUsed} quota={user.quota ?? null} />
          </div>
          <p className="mt-1 text-xs text-slate-600">{user.messageCount.toLocaleString('en')} messages</p>
        </div>
      </section>

      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="mailboxes-title" className={card}>
          <h2 id="mailboxes-title" className="font-semibold text-slate-900">
            Mailboxes
          </h2>
          <div className="mt-3 overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="detail-mailboxes">
              <thead className="text-slate-600">
                <tr>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    Folder
                  </th>
                  <th scope="col" className="py-1 pr-3 text-right font-medium">
                    Messages
                  </th>
                  <th scope="col" className="py-1 pr-3 text-right font-medium">
                    Unread
                  </th>
                  <th scope="col" className="py-1 text-right font-medium">
                    Size
                  </th>
                </tr>
              </thead>
              <tbody>
                {detail.mailboxes.map((mailbox) => (
                  <tr
                    key={mailbox.id}
                    className="border-t border-slate-100"
                    data-testid="detail-mailbox"
                    data-path={mailbox.path}
                  >
                    <th
                      scope="row"
                      className="py-1.5 pr-3 font-normal text-slate-900 [overflow-wrap:anywhere]"
                    >
                      {mailbox.path}
                    </th>
                    <td className="py-1.5 pr-3 text-right tabular-nums">
                      {mailbox.total.toLocaleString('en')}
                    </td>
                    <td className="py-1.5 pr-3 text-right tabular-nums">
                      {mailbox.unseen.toLocaleString('en')}
                    </td>
                    <td className="py-1.5 text-right tabular-nums">{formatBytes(mailbox.size)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>

        <section aria-labelledby="sessions-title" className={card}>
          <h2 id="sessions-title" className="font-semibold text-slate-900">
            Sign-in sessions
          </h2>
          {detail.sessions.length ? (
            <ul className="mt-3 space-y-2 text-sm" data-testid="detail-sessions">
              {detail.sessions.map((session) => (
                <li key={session.id} className="border-b border-slate-100 pb-2 last:border-0">
                  <span className="font-medium text-slate-900">
                    {session.client === 'web'
                      ? 'Web console'
                      : session.client === 'api'
                        ? 'API client'
                        : 'Session'}
                  </span>
                  {session.remote ? <span className="text-slate-700"> from {session.remote}</span> : null}
                  <span className="block text-xs text-slate-600">
                    started {when(session.created)} · ends {when(session.expires)}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-3 text-sm text-slate-600">No open sessions.</p>
          )}

          <h2 id="app-passwords-title" className="mt-6 font-semibold text-slate-900">
            App passwords
          </h2>
          {detail.appPasswords.length ? (
            <ul className="mt-3 space-y-2 text-sm" data-testid="detail-app-passwords">
              {detail.appPasswords.map((appPassword) => (
                <li key={appPassword.id} className="border-b border-slate-100 pb-2 last:border-0">
                  <span className="font-medium text-slate-900">{appPassword.name}</span>{' '}
                  <span className="text-slate-700">
                    ({appPassword.scopes.map((scope) => scope.toUpperCase()).join(', ')})
                  </span>
                  <span className="block text-xs text-slate-600">
                    made {when(appPassword.created)} · last used {when(appPassword.lastUsed)}
                    {appPassword.lastAddress ? ` from ${appPassword.lastAddress}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-3 text-sm text-slate-600">No app passwords.</p>
          )}
        </section>
      </div>

      <UserSharedFolders userId={user.id} className={card} onNotice={setNotice} />

      <section aria-labelledby="activity-title" className={card}>
        <h2 id="activity-title" className="font-semibold text-slate-900">
          Recent activity
        </h2>
        {detail.recentEvents.length ? (
          <ol className="mt-3 space-y-2" data-testid="detail-events">
            {detail.recentEvents.map((event) => (
              <EventLine key={event.id} event={event} linkUser={false} />
            ))}
          </ol>
        ) : (
          <p className="mt-3 text-sm text-slate-600">No activity in the last 7 days.</p>
        )}
      </section>

      {dialog === 'disable' ? (
        <DisableUserDialog
          user={user}
          onClose={() => setDialog(null)}
          onDone={(disabled) =>
            void reload(disabled ? `${user.address} is disabled.` : `${user.address} is enabled.`)
          }
        />
      ) : null}
      {dialog === 'quota' ? (
        <SetQuotaDialog
          user={user}
          onClose={() => setDialog(null)}
          onDone={(quota) =>
            void reload(
              quota === null
                ? `${user.address} has no quota now.`
                : `The quota of ${user.address} is ${formatBytes(quota)}.`,
            )
          }
        />
      ) : null}
      {dialog === 'two-factor' ? (
        <ResetTwoFactorDialog
          user={user as User}
          onClose={() => setDialog(null)}
          onReset={() => void reload(`Two-factor sign-in of ${user.address} is off.`)}
        />
      ) : null}
      <AdminNotice notice={notice} />
    </div>
  );
}
