'use client';
// The user detail page's actions: disable or enable the account, and set its quota, each in a
// dialog that says what it does (resetting two-factor is user-dialogs.tsx's ResetTwoFactorDialog).
import { useState, type FormEvent } from 'react';
import { describeError } from '@/client/graphql';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { DialogFooter } from '@/components/dialog-footer';
import { FormError, TextField } from '@/components/form-field';
import { Modal } from '@/components/modal';
import { formatBytes } from '@/shared/format';
import type { DetailUser } from './feed-operations';
import { updateUser } from './operations';

const MIB = 1024 * 1024;

export function DisableUserDialog({
  user,
  onClose,
  onDone,
}: {
  user: DetailUser;
  onClose: () => void;
  onDone: (disabled: boolean) => void;
}) {
  const [error, setError] = useState<string | undefined>(undefined);
  const [pending, setPending] = useState(false);
  const disabling = !user.disabled;
  const confirm = async () => {
    setPending(true);
    setError(undefined);
    try {
      await updateUser(user.id, { disabled: disabling });
      onDone(disabling);
    } catch (failure) {
      setError(describeError(failure));
      setPending(false);
    }
  };
  return (
    <ConfirmDialog
      title={disabling ? 'Disable account' : 'Enable account'}
      confirmLabel={disabling ? 'Disable account' : 'Enable account'}
      pendingLabel={disabling ? 'Disabling…' : 'Enabling…'}
      pending={pending}
      error={error}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      {disabling ? (
        <>
          Disable <strong>{user.address}</strong>? They cannot sign in anywhere and their sessions end; their
          mail is kept and still delivered.
        </>
      ) : (
        <>
          Enable <strong>{user.address}</strong> again? They can sign in with their password.
        </>
      )}
    </ConfirmDialog>
  );
}

/** "" -> null (unlimited); a number of MiB -> bytes; anything else -> undefined (invalid). */
function parseQuota(text: string): number | null | undefined {
  if (!text.trim()) return null;
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? Math.round(value * MIB) : undefined;
}

export function SetQuotaDialog({
  user,
  onClose,
  onDone,
}: {
  user: DetailUser;
  onClose: () => void;
  onDone: (quota: number | null) => void;
}) {
  const [quota, setQuota] = useState(user.quota ? String(Math.round((user.quota / MIB) * 100) / 100) : '');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const bytes = parseQuota(quota);
    if (bytes === undefined)
      return setError('The quota must be a positive number of megabytes, or empty for no limit.');
    setPending(true);
    setError(null);
    try {
      await updateUser(user.id, { quota: bytes });
      onDone(bytes);
    } catch (failure) {
      setError(describeError(failure));
      setPending(false);
    }
  };
  return (
    <Modal title={`Quota of ${user.address}`} onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} className="space-y-4 px-5 py-4" data-testid="quota-form">
        {error ? <FormError>{error}</FormError> : null}
        <TextField
          id="detail-quota"
          label="Quota in megabytes"
          hint={`Empty for no limit. Now used: ${formatBytes(user.storageUsed)}.`}
          inputMode="decimal"
          value={quota}
          onChange={(event) => setQuota(event.target.value)}
          autoFocus
          data-autofocus
          autoComplete="off"
        />
        <DialogFooter onCancel={onClose} confirmLabel="Set quota" pendingLabel="Saving…" pending={pending} />
      </form>
    </Modal>
  );
}
