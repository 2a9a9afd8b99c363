'use client';
// "Delete" of a folder, confirmed: it says how many messages go to Trash (those of the folder
// and of every folder below it), or that they are deleted for good when the folder is in Trash.
import { useState } from 'react';
import type { Mailbox } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { deleteMailboxToTrash, isSelfOrBelow, subtreeOf } from './folder-operations';
import { findSpecial } from './mailbox-order';

const messages = (count: number) => (count === 1 ? '1 message' : `${count} messages`);

export function DeleteFolderDialog({
  folder,
  mailboxes,
  onClose,
  onDeleted,
}: {
  folder: Mailbox;
  mailboxes: Mailbox[];
  onClose: () => void;
  /** With how many messages went to Trash. */
  onDeleted: (folder: Mailbox, toTrash: number) => void;
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const tree = subtreeOf(mailboxes, folder);
  const count = tree.reduce((sum, mailbox) => sum + mailbox.total, 0);
  const subfolders = tree.length - 1;
  const trash = findSpecial(mailboxes, 'Trash');
  const inTrash = Boolean(trash && folder.path !== trash.path && isSelfOrBelow(folder.path, trash.path));
  const confirm = async () => {
    setPending(true);
    try {
      await deleteMailboxToTrash(folder.id);
      onDeleted(folder, inTrash ? 0 : count);
    } catch (failure) {
      setError(describeError(failure));
      setPending(false);
    }
  };
  return (
    <ConfirmDialog
      title={`Delete ${folder.name}?`}
      confirmLabel="Delete folder"
      pendingLabel="Deleting…"
      pending={pending}
      error={error}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      <p>
        The folder <strong>{folder.path}</strong>
        {subfolders ? ` and its ${subfolders === 1 ? 'subfolder' : `${subfolders} subfolders`}` : ''} will be
        deleted.
      </p>
      <p className="mt-2" data-testid="delete-folder-count">
        {count === 0
          ? 'There are no messages in it.'
          : inTrash
            ? `${messages(count)} will be deleted for good.`
            : `${messages(count)} will be moved to Trash.`}
      </p>
    </ConfirmDialog>
  );
}
