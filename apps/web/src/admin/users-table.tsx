'use client';
// The users table: address and name, role, status, messages, storage against quota, created,
// and the actions; sortable by address, storage and creation date.
import Link from 'next/link';
import type { User, UserOrderField } from '@/client/api-types';
import { StorageBar } from './storage-bar';

const SORTABLE: { field: UserOrderField; label: string }[] = [
  { field: 'address', label: 'User' },
  { field: 'storageUsed', label: 'Storage' },
  { field: 'created', label: 'Created' },
];

function SortHeader({
  field,
  label,
  sort,
  onSort,
  className = '',
}: {
  field: UserOrderField;
  label: string;
  sort: { field: UserOrderField; descending: boolean };
  onSort: (field: UserOrderField) => void;
  className?: string;
}) {
  const active = sort.field === field;
  return (
    <th
      scope="col"
      aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
      className={`px-3 py-2 ${className}`}
    >
      <button
        type="button"
        onClick={() => onSort(field)}
        className="inline-flex items-center gap-1 font-semibold hover:text-slate-900"
      >
        {label}
        <span aria-hidden="true" className={active ? 'text-brand-700' : 'text-slate-300'}>
          {active && sort.descending ? '▼' : '▲'}
        </span>
        <span className="sr-only">
          {active ? `, sorted ${sort.descending ? 'descending' : 'ascending'}` : ', sort'}
        </span>
      </button>
    </th>
  );
}

export function UsersTable({
  users,
  self,
  sort,
  onSort,
  onEdit,
  onDelete,
  onResetTwoFactor,
}: {
  users: User[];
  self: string;
  sort: { field: UserOrderField; descending: boolean };
  onSort: (field: UserOrderField) => void;
  onEdit: (user: User) => void;
  onDelete: (user: User) => void;
  onResetTwoFactor: (user: User) => void;
}) {
  const header = (field: UserOrderField) => SORTABLE.find((column) => column.field === field)!;
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full min-w-[52rem] text-left text-sm" data-testid="users-table">
        <caption className="sr-only">Users, sorted by {header(sort.field).label.toLowerCase()}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-slate-700">
          <tr>
            <SortHeader {...header('address')} sort={sort} onSort={onSort} />
            <th scope="col" className="px-3 py-2 font-semibold">
              Role
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              Status
            </th>
            <th scope="col" className="px-3 py-2 text-right font-semibold">
              Messages
            </th>
            <SortHeader {...header('storageUsed')} sort={sort} onSort={onSort} />
            <SortHeader {...header('created')} sort={sort} onSort={onSort} />
            <th scope="col" className="px-3 py-2 font-semibold">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr
              key={user.id}
              className="border-b border-slate-100 align-middle"
              data-testid="user-row"
              data-address={user.address}
            >
              <th scope="row" className="px-3 py-2.5 font-normal">
                <Link
                  href={`/admin/users/${user.id}`}
                  className="block font-medium text-slate-900 underline-offset-2 hover:text-brand-700 hover:underline"
                  data-testid="user-detail-link"
                >
                  {user.address}
                </Link>
                {user.name ? <span className="block text-xs text-slate-600">{user.name}</span> : null}
              </th>
              <td className="px-3 py-2.5">
                {user.role === 'admin' ? (
                  <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-900">
                    admin
                  </span>
                ) : (
                  <span className="text-slate-700">user</span>
                )}
              </td>
              <td className="px-3 py-2.5">
                {user.disabled ? (
                  <span className="rounded bg-slate-200 px-1.5 py-0.5 text-xs font-semibold text-slate-800">
                    disabled
                  </span>
                ) : (
                  <span className="text-emerald-800">active</span>
                )}
                {user.twoFactorEnabled ? (
                  <span
                    className="ml-2 rounded bg-brand-50 px-1.5 py-0.5 text-xs font-semibold text-brand-700"
                    title="Two-factor sign-in is on"
                  >
                    2FA
                  </span>
                ) : null}
              </td>
              <td className="px-3 py-2.5 text-right tabular-nums text-slate-800" data-testid="message-count">
                {user.messageCount.toLocaleString('en')}
              </td>
              <td className="px-3 py-2.5">
                <StorageBar used={user.storageUsed} quota={user.quota ?? null} />
              </td>
              <td className="px-3 py-2.5 whitespace-nowrap text-slate-700">
                <time dateTime={user.created} suppressHydrationWarning>
                  {new Date(user.created).toLocaleDateString('en-GB', {
                    day: 'numeric',
                    month: 'short',
                    year: 'numeric',
                  })}
                </time>
              </td>
              <td className="px-3 py-2.5 whitespace-nowrap text-right">
                <button
                  type="button"
                  onClick={() => onEdit(user)}
                  className="rounded-md px-2.5 py-1.5 font-medium text-brand-700 hover:bg-brand-50"
                  aria-label={`Edit ${user.address}`}
                >
                  Edit
                </button>
                {user.twoFactorEnabled ? (
                  <button
                    type="button"
                    onClick={() => onResetTwoFactor(user)}
                    className="rounded-md px-2.5 py-1.5 font-medium text-brand-700 hover:bg-brand-50"
                    aria-label={`Reset two-factor sign-in of ${user.address}`}
                  >
                    Reset 2FA
                  </button>
                ) : null}
                <button
                  type="button"
                  onClick={() => onDelete(user)}
                  disabled={user.address === self}
                  title={user.address === self ? 'You cannot delete your own account' : undefined}
                  className="rounded-md px-2.5 py-1.5 font-medium text-red-700 hover:bg-red-50 disabled:cursor-not-allowed disabled:text-slate-400 disabled:hover:bg-transparent"
                  aria-label={`Delete ${user.address}`}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
