'use client';
// "Empty Trash" / "Empty Junk", confirmed: every message there is deleted for good.
import { useState } from 'react';
import type { Mailbox } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { emptyMailbox } from './folder-operations';
import { mailboxLabel } from './mailbox-order';

export function EmptyFolderDialog({
  folder,
  onClose,
  onEmptied,
}: {
  folder: Mailbox;
  onClose: () => void;
  onEmptied: (folder: Mailbox, count: number) => void;
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const label = mailboxLabel(folder);
  const confirm = async () => {
    setPending(true);
    try {
      onEmptied(folder, await emptyMailbox(folder.id));
    } catch (failure) {
      setError(describeError(failure));
      setPending(false);
    }
  };
  return (
    <ConfirmDialog
      title={`Empty ${label}?`}
      confirmLabel={`Empty ${label}`}
      pendingLabel="Emptying…"
      pending={pending}
      error={error}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      <p>
        {folder.total === 0
          ? `${label} is empty.`
          : `${folder.total === 1 ? 'The message' : `All ${folder.total} messages`} in ${label} will be deleted for good. This cannot be undone.`}
      </p>
    </ConfirmDialog>
  );
}
