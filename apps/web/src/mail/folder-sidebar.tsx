'use client';
// The left column: Compose, the folders and the shortcuts help. From tablet width up it is
// always there; below that it is a drawer over the list, opened from the list's menu button.
import type { Mailbox } from '@/client/api-types';
import { Icon } from '@/components/icons';
import { FolderList } from './folder-list';
import { SharedFolderList } from './shared-folder-list';
import type { FolderActions } from './use-folder-actions';

export function FolderSidebar({
  drawerOpen,
  onCloseDrawer,
  onCompose,
  mailboxes,
  currentId,
  onSelectFolder,
  onDropMessage,
  folders,
  sharedMailboxes,
  onShowShortcuts,
}: {
  drawerOpen: boolean;
  onCloseDrawer: () => void;
  onCompose: () => void;
  mailboxes: Mailbox[];
  currentId: string | null;
  onSelectFolder: (id: string) => void;
  onDropMessage: (messageId: string, mailboxId: string) => void;
  folders: FolderActions;
  /** Folders other users share with the user ("Shared with me"). */
  sharedMailboxes: Mailbox[];
  onShowShortcuts: () => void;
}) {
  return (
    <aside
      aria-label="Mail folders"
      className={`${drawerOpen ? 'fixed inset-0 z-40 flex' : 'hidden'} md:static md:z-auto md:flex md:w-60 md:shrink-0`}
    >
      <div className="flex w-72 max-w-[85vw] flex-col gap-3 overflow-y-auto border-r border-slate-200 bg-white p-3 md:w-full">
        <div className="flex items-center justify-between md:hidden">
          <span className="font-semibold">Folders</span>
          <button
            type="button"
            onClick={onCloseDrawer}
            aria-label="Close folders"
            className="rounded-md p-1.5 hover:bg-slate-100"
          >
            <Icon name="close" />
          </button>
        </div>
        <button
          type="button"
          onClick={onCompose}
          aria-keyshortcuts="c"
          className="flex items-center justify-center gap-2 rounded-lg bg-brand-700 px-4 py-2.5 font-semibold text-white shadow-sm hover:bg-brand-600"
        >
          <Icon name="pencil" className="h-4 w-4" />
          Compose
        </button>
        <FolderList
          mailboxes={mailboxes}
          currentId={currentId}
          onSelect={onSelectFolder}
          onDropMessage={onDropMessage}
          folders={folders}
        />
        <SharedFolderList mailboxes={sharedMailboxes} currentId={currentId} onSelect={onSelectFolder} />
        <button
          type="button"
          onClick={onShowShortcuts}
          className="mt-auto flex items-center gap-2 rounded-lg px-3 py-2 text-sm text-slate-600 hover:bg-slate-100"
          aria-keyshortcuts="?"
        >
          <Icon name="keyboard" className="h-4 w-4" />
          Keyboard shortcuts
        </button>
      </div>
      {/* The dimmed rest of the screen beside the drawer: a click there closes it. */}
      <button
        type="button"
        aria-label="Close folders"
        tabIndex={-1}
        className="flex-1 bg-slate-900/40 md:hidden"
        onClick={onCloseDrawer}
      />
    </aside>
  );
}
