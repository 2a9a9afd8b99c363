'use client';
// The folder dialog that is open, if any (use-folder-actions.ts holds which).
import type { Mailbox } from '@/client/api-types';
import { DeleteFolderDialog } from './delete-folder-dialog';
import { EmptyFolderDialog } from './empty-folder-dialog';
import { MoveFolderDialog } from './move-folder-dialog';
import { NewFolderDialog } from './new-folder-dialog';
import { RenameFolderDialog } from './rename-folder-dialog';
import { ShareFolderDialog } from './share-folder-dialog';
import type { FolderActions } from './use-folder-actions';

export function FolderDialogs({
  folders,
  mailboxes,
  say,
}: {
  folders: FolderActions;
  mailboxes: Mailbox[];
  say: (note: string) => void;
}) {
  const { dialog, close, done } = folders;
  switch (dialog?.kind) {
    case undefined:
      return null;
    case 'new':
      return (
        <NewFolderDialog
          mailboxes={mailboxes}
          initialParent={dialog.parent}
          onClose={close}
          onCreated={done.created}
        />
      );
    case 'rename':
      return <RenameFolderDialog folder={dialog.folder} onClose={close} onRenamed={done.renamed} />;
    case 'move':
      return (
        <MoveFolderDialog
          folder={dialog.folder}
          mailboxes={mailboxes}
          onClose={close}
          onMove={folders.moveFolder}
        />
      );
    case 'delete':
      return (
        <DeleteFolderDialog
          folder={dialog.folder}
          mailboxes={mailboxes}
          onClose={close}
          onDeleted={done.deleted}
        />
      );
    case 'empty':
      return <EmptyFolderDialog folder={dialog.folder} onClose={close} onEmptied={done.emptied} />;
    case 'share':
      return <ShareFolderDialog folder={dialog.folder} onClose={close} onChanged={say} />;
  }
}
