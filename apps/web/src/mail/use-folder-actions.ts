'use client';
// What can be done to folders from the sidebar, and which folder dialog is open: new (with a
// parent), rename, move, delete to Trash, empty Trash or Junk. Each action tells the user how it
// went and re-reads the folders (the live feed would too, a moment later).
import { useCallback, useState } from 'react';
import type { Mailbox } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import type { FolderMenuItem } from './folder-actions-menu';
import { useCollapsedFolders } from './folder-hierarchy';
import { childPath, isUserFolder, parentPath, renameMailbox, subtreeOf } from './folder-operations';
import { mailboxLabel, specialUseOf } from './mailbox-order';
import type { Say } from './use-notice';

export type FolderDialog =
  | { kind: 'new'; parent: string }
  | { kind: 'rename' | 'move' | 'delete' | 'empty' | 'share'; folder: Mailbox };

export function useFolderActions({
  mailboxes,
  refreshMailboxes,
  addMailbox,
  say,
  currentId,
  onCurrentFolderGone,
}: {
  mailboxes: Mailbox[];
  refreshMailboxes: () => void;
  addMailbox: (mailbox: Mailbox) => void;
  say: Say;
  currentId: string | null;
  /** The open folder was deleted here: show another. */
  onCurrentFolderGone: () => void;
}) {
  const [dialog, setDialog] = useState<FolderDialog | null>(null);
  const tree = useCollapsedFolders();
  const { expand } = tree;
  const close = useCallback(() => setDialog(null), []);

  /** Puts a folder inside another ('' for the top level), keeping its name; its subfolders go along. */
  const moveFolder = useCallback(
    async (folder: Mailbox, parent: string) => {
      const target = mailboxes.find((mailbox) => mailbox.path === parent);
      try {
        const moved = await renameMailbox(folder.id, childPath(parent, folder.name));
        if (target) expand(target.id);
        say(`Moved ${folder.name} to ${target ? mailboxLabel(target) : 'the top level'}.`);
        addMailbox(moved);
      } catch (error) {
        say(`Not moved: ${describeError(error)}`, 'error');
      }
      refreshMailboxes();
    },
    [mailboxes, expand, say, addMailbox, refreshMailboxes],
  );

  const actionsFor = useCallback((folder: Mailbox): FolderMenuItem[] => {
    const items: FolderMenuItem[] = [
      { label: 'New subfolder', onSelect: () => setDialog({ kind: 'new', parent: folder.path }) },
    ];
    const userFolder = isUserFolder(folder);
    if (userFolder)
      items.push(
        { label: 'Rename', onSelect: () => setDialog({ kind: 'rename', folder }) },
        { label: 'Move to…', onSelect: () => setDialog({ kind: 'move', folder }) },
      );
    // who may use it besides the user (RFC 4314 access lists)
    items.push({ label: 'Share…', onSelect: () => setDialog({ kind: 'share', folder }) });
    if (userFolder)
      items.push({ label: 'Delete', danger: true, onSelect: () => setDialog({ kind: 'delete', folder }) });
    const use = specialUseOf(folder);
    if (use === 'Trash' || use === 'Junk')
      items.push({
        label: `Empty ${use}`,
        danger: true,
        onSelect: () => setDialog({ kind: 'empty', folder }),
      });
    return items;
  }, []);

  /** After a dialog did its work on the server. */
  const done = {
    created: (mailbox: Mailbox) => {
      setDialog(null);
      addMailbox(mailbox);
      const parent = mailboxes.find((other) => other.path === parentPath(mailbox.path));
      if (parent) expand(parent.id);
      say(`Folder ${mailbox.path} created.`);
      refreshMailboxes();
    },
    renamed: (mailbox: Mailbox) => {
      setDialog(null);
      addMailbox(mailbox);
      say(`Renamed to ${mailbox.name}.`);
      refreshMailboxes();
    },
    deleted: (folder: Mailbox, toTrash: number) => {
      setDialog(null);
      const gone = subtreeOf(mailboxes, folder).map((mailbox) => mailbox.id);
      if (currentId && gone.includes(currentId)) onCurrentFolderGone();
      say(
        toTrash
          ? `Folder ${folder.name} deleted; ${toTrash === 1 ? '1 message' : `${toTrash} messages`} moved to Trash.`
          : `Folder ${folder.name} deleted.`,
      );
      refreshMailboxes();
    },
    emptied: (folder: Mailbox, count: number) => {
      setDialog(null);
      say(`${mailboxLabel(folder)} emptied: ${count === 1 ? '1 message' : `${count} messages`} deleted.`);
      refreshMailboxes();
    },
  };

  return {
    dialog,
    close,
    done,
    openNew: (parent = '') => setDialog({ kind: 'new', parent }),
    moveFolder,
    actionsFor,
    tree,
  };
}

export type FolderActions = ReturnType<typeof useFolderActions>;
