'use client';
// Create and edit a user (address, name, password, role, quota, disabled), and delete one after
// a confirmation that says what goes with it.
import { useState, type FormEvent } from 'react';
import type { Role, User } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { Modal } from '@/components/modal';
import { formatBytes } from '@/shared/format';
import { createUser, deleteUser, updateUser, type UserFields } from './operations';

const MIB = 1024 * 1024;
const field =
  'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-200';
const labelClass = 'text-sm font-medium text-slate-800';

/** "" -> null (unlimited); a number of MiB -> bytes; anything else -> undefined (invalid). */
function parseQuota(text: string): number | null | undefined {
  if (!text.trim()) return null;
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? Math.round(value * MIB) : undefined;
}

export function UserFormDialog({
  user,
  self,
  onClose,
  onSaved,
}: {
  /** The user to edit; absent: a new user. */
  user?: User;
  /** The signed-in administrator's address (they may not demote or disable themselves). */
  self: string;
  onClose: () => void;
  onSaved: (user: User, created: boolean) => void;
}) {
  const [address, setAddress] = useState(user?.address ?? '');
  const [name, setName] = useState(user?.name ?? '');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>(user?.role ?? 'user');
  const [quota, setQuota] = useState(user?.quota ? String(Math.round((user.quota / MIB) * 100) / 100) : '');
  const [disabled, setDisabled] = useState(user?.disabled ?? false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const isSelf = user?.address === self;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const bytes = parseQuota(quota);
    if (bytes === undefined)
      return setError('The quota must be a positive number of megabytes, or empty for no limit.');
    if (!user && password.length < 8) return setError('The password needs at least 8 characters.');
    if (user && password && password.length < 8)
      return setError('A new password needs at least 8 characters.');
    setPending(true);
    try {
      if (user) {
        const changes: UserFields = { name: name.trim() || null, role, quota: bytes, disabled };
        if (password) changes.password = password;
        onSaved(await updateUser(user.id, changes), false);
      } else {
        onSaved(
          await createUser(address.trim(), password, { name: name.trim() || null, role, quota: bytes }),
          true,
        );
      }
    } catch (failure) {
      setError(describeError(failure));
      setPending(false);
    }
  };

  return (
    <Modal title={user ? `Edit ${user.address}` : 'New user'} onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} className="space-y-4 px-5 py-4" data-testid="user-form">
        {error ? (
          <p
            role="alert"
            className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900"
          >
            {error}
          </p>
        ) : null}
        {user ? null : (
          <div>
            <label htmlFor="user-address" className={labelClass}>
              Email address
            </label>
            <input
              id="user-address"
              type="email"
              required
              value={address}
              onChange={(event) => setAddress(event.target.value)}
              className={field}
              autoFocus
              autoComplete="off"
            />
          </div>
        )}
        <div>
          <label htmlFor="user-name" className={labelClass}>
            Name <span className="font-normal text-slate-600">(optional)</span>
          </label>
          <input
            id="user-name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            className={field}
            autoComplete="off"
          />
        </div>
        <div>
          <label htmlFor="user-password" className={labelClass}>
            {user ? 'New password' : 'Password'}
            {user ? (
              <span className="font-normal text-slate-600"> (leave empty to keep the current one)</span>
            ) : null}
          </label>
          <input
            id="user-password"
            type="password"
            required={!user}
            minLength={8}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            className={field}
            autoComplete="new-password"
            aria-describedby="user-password-hint"
          />
          <p id="user-password-hint" className="mt-1 text-xs text-slate-600">
            At least 8 characters.
          </p>
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <div>
            <label htmlFor="user-role" className={labelClass}>
              Role
            </label>
            <select
              id="user-role"
              value={role}
              onChange={(event) => setRole(event.target.value as Role)}
              className={field}
              disabled={isSelf}
              aria-describedby={isSelf ? 'user-self-hint' : undefined}
            >
              <option value="user">User</option>
              <option value="admin">Administrator</option>
            </select>
          </div>
          <div>
            <label htmlFor="user-quota" className={labelClass}>
              Quota in MB
            </label>
            <input
              id="user-quota"
              inputMode="decimal"
              value={quota}
              onChange={(event) => setQuota(event.target.value)}
              className={field}
              placeholder="no limit"
              aria-describedby="user-quota-hint"
            />
            <p id="user-quota-hint" className="mt-1 text-xs text-slate-600">
              Empty for no limit.{user ? ` Uses ${formatBytes(user.storageUsed)} now.` : ''}
            </p>
          </div>
        </div>
        {user ? (
          <div className="flex items-start gap-2">
            <input
              id="user-disabled"
              type="checkbox"
              checked={disabled}
              onChange={(event) => setDisabled(event.target.checked)}
              disabled={isSelf}
              className="mt-1 h-4 w-4"
              aria-describedby="user-disabled-hint"
            />
            <div>
              <label htmlFor="user-disabled" className={labelClass}>
                Disabled
              </label>
              <p id="user-disabled-hint" className="text-xs text-slate-600">
                A disabled account cannot sign in anywhere; its mail is kept and still delivered.
              </p>
            </div>
          </div>
        ) : null}
        {isSelf ? (
          <p id="user-self-hint" className="text-xs text-slate-600">
            You cannot change your own role or disable your own account.
          </p>
        ) : null}
        <div className="flex justify-end gap-2 pt-2">
          <button
            type="button"
            onClick={onClose}
            className="rounded-md px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100"
          >
            Cancel
          </button>
          <button
            type="submit"
            disabled={pending}
            className="rounded-md bg-brand-700 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-600 disabled:cursor-wait disabled:opacity-70"
          >
            {pending ? 'Saving…' : user ? 'Save changes' : 'Create user'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function DeleteUserDialog({
  user,
  onClose,
  onDeleted,
}: {
  user: User;
  onClose: () => void;
  onDeleted: (user: User) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const confirm = async () => {
    setPending(true);
    setError(null);
    try {
      await deleteUser(user.id);
      onDeleted(user);
    } catch (failure) {
      setError(describeError(failure));
      setPending(false);
    }
  };
  return (
    <Modal title="Delete user" onClose={onClose}>
      <div className="space-y-4 px-5 py-4">
        {error ? (
          <p
            role="alert"
            className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900"
          >
            {error}
          </p>
        ) : null}
        <p className="text-slate-800">
          Delete <strong>{user.address}</strong>? Its {user.messageCount.toLocaleString('en')} messages (
          {formatBytes(user.storageUsed)}), every folder, session and access token go with it. This cannot be
          undone.
        </p>
        <div className="flex justify-end gap-2">
          <button
            type="button"
            onClick={onClose}
            autoFocus
            className="rounded-md px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100"
          >
            Cancel
          </button>
          <button
            type="button"
            onClick={() => void confirm()}
            disabled={pending}
            className="rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-600 disabled:opacity-70"
          >
            {pending ? 'Deleting…' : 'Delete user'}
          </button>
        </div>
      </div>
    </Modal>
  );
}
