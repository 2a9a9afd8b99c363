'use client';
// Create and edit a user (address, name, password, role, quota, disabled); delete one, or reset
// their two-factor sign-in, after a confirmation that says what goes with it.
import { useState, type FormEvent } from 'react';
import type { Role, User } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { DialogFooter } from '@/components/dialog-footer';
import { FormError, labelClass, SelectField, TextField } from '@/components/form-field';
import { Modal } from '@/components/modal';
import { formatBytes } from '@/shared/format';
import { createUser, deleteUser, resetTwoFactor, updateUser, type UserFields } from './operations';

const MIB = 1024 * 1024;

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
        {error ? <FormError>{error}</FormError> : null}
        {user ? null : (
          <TextField
            id="user-address"
            label="Email address"
            type="email"
            required
            value={address}
            onChange={(event) => setAddress(event.target.value)}
            autoFocus
            data-autofocus
            autoComplete="off"
          />
        )}
        <TextField
          id="user-name"
          label={
            <>
              Name <span className="font-normal text-slate-600">(optional)</span>
            </>
          }
          value={name}
          onChange={(event) => setName(event.target.value)}
          autoComplete="off"
        />
        <TextField
          id="user-password"
          label={
            <>
              {user ? 'New password' : 'Password'}
              {user ? (
                <span className="font-normal text-slate-600"> (leave empty to keep the current one)</span>
              ) : null}
            </>
          }
          hint="At least 8 characters."
          type="password"
          required={!user}
          minLength={8}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          autoComplete="new-password"
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField
            id="user-role"
            label="Role"
            value={role}
            onChange={(event) => setRole(event.target.value as Role)}
            disabled={isSelf}
            aria-describedby={isSelf ? 'user-self-hint' : undefined}
          >
            <option value="user">User</option>
            <option value="admin">Administrator</option>
          </SelectField>
          <TextField
            id="user-quota"
            label="Quota in MB"
            hint={`Empty for no limit.${user ? ` Uses ${formatBytes(user.storageUsed)} now.` : ''}`}
            inputMode="decimal"
            value={quota}
            onChange={(event) => setQuota(event.target.value)}
            placeholder="no limit"
          />
        </div>
        {user ? (
          // A checkbox sits beside its label rather than under it, so it is not a Field.
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
        <DialogFooter
          onCancel={onClose}
          confirmLabel={user ? 'Save changes' : 'Create user'}
          pendingLabel="Saving…"
          pending={pending}
        />
      </form>
    </Modal>
  );
}

/**
 * The state of a confirmation: pending while `action` runs, the API's error when it refused (the
 * dialog stays open to show it), and `done` when it went through (the dialog closes, so pending stays).
 */
function useConfirmation(action: () => Promise<unknown>, done: () => void) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const confirm = async () => {
    setPending(true);
    setError(null);
    try {
      await action();
      done();
    } catch (failure) {
      setError(describeError(failure));
      setPending(false);
    }
  };
  return { error: error ?? undefined, pending, onConfirm: () => void confirm() };
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
  const confirmation = useConfirmation(
    () => deleteUser(user.id),
    () => onDeleted(user),
  );
  return (
    <ConfirmDialog
      title="Delete user"
      confirmLabel="Delete user"
      pendingLabel="Deleting…"
      {...confirmation}
      onClose={onClose}
    >
      Delete <strong>{user.address}</strong>? Its {user.messageCount.toLocaleString('en')} messages (
      {formatBytes(user.storageUsed)}), every folder, session and access token go with it. This cannot be
      undone.
    </ConfirmDialog>
  );
}

export function ResetTwoFactorDialog({
  user,
  onClose,
  onReset,
}: {
  user: User;
  onClose: () => void;
  onReset: (user: User) => void;
}) {
  const confirmation = useConfirmation(
    () => resetTwoFactor(user.id),
    () => onReset(user),
  );
  return (
    <ConfirmDialog
      title="Reset two-factor sign-in"
      confirmLabel="Reset two-factor"
      pendingLabel="Resetting…"
      {...confirmation}
      onClose={onClose}
    >
      Turn off two-factor sign-in for <strong>{user.address}</strong>? They will sign in with their password
      alone until they set it up again, and their recovery codes stop working. Do this only when you are sure
      who is asking (a lost phone).
    </ConfirmDialog>
  );
}
