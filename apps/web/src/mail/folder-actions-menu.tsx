'use client';
// The "Actions for <folder>" menu button of a folder row: rename, move, delete and the like, in
// the shared menu button (menu-button.tsx has the keys).
import { MenuButton, type MenuItem } from './menu-button';

export type FolderMenuItem = MenuItem;

export function FolderActionsMenu({ folderLabel, items }: { folderLabel: string; items: FolderMenuItem[] }) {
  return (
    <MenuButton
      label={`Actions for ${folderLabel}`}
      items={items}
      buttonClassName="rounded-md p-1.5 text-slate-500 hover:bg-slate-200 hover:text-slate-800"
    >
      <svg viewBox="0 0 24 24" className="h-4 w-4" aria-hidden="true">
        <circle cx="5" cy="12" r="1.8" fill="currentColor" />
        <circle cx="12" cy="12" r="1.8" fill="currentColor" />
        <circle cx="19" cy="12" r="1.8" fill="currentColor" />
      </svg>
    </MenuButton>
  );
}
