'use client';
// The folder list: the folders as a tree (folder-tree.tsx) with their actions, and New folder.
// Messages dragged from the list drop onto a folder; folders drop onto each other.
import type { Mailbox } from '@/client/api-types';
import { Icon } from '@/components/icons';
import { buildFolderTree } from './folder-hierarchy';
import { FolderTree } from './folder-tree';
import type { FolderActions } from './use-folder-actions';

export { MESSAGE_DRAG_TYPE } from './drag-types';

export function FolderList({
  mailboxes,
  currentId,
  onSelect,
  onDropMessage,
  folders,
}: {
  mailboxes: Mailbox[];
  currentId: string | null;
  onSelect: (id: string) => void;
  onDropMessage: (messageId: string, mailboxId: string) => void;
  folders: FolderActions;
}) {
  return (
    <nav aria-label="Folders" className="flex flex-col gap-0.5">
      <FolderTree
        nodes={buildFolderTree(mailboxes)}
        currentId={currentId}
        collapsed={folders.tree.collapsed}
        onToggle={folders.tree.toggle}
        onSelect={onSelect}
        onDropMessage={onDropMessage}
        onMoveFolder={(folder, parent) => void folders.moveFolder(folder, parent)}
        actionsFor={folders.actionsFor}
      />
      <button
        type="button"
        onClick={() => folders.openNew()}
        className="mt-2 flex items-center gap-3 rounded-lg px-3 py-2 text-left text-sm text-slate-600 hover:bg-slate-100"
      >
        <Icon name="plus" className="h-5 w-5 text-slate-500" />
        New folder
      </button>
    </nav>
  );
}
