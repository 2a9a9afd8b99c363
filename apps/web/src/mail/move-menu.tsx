'use client';
// "Move to folder" as a menu button (the reading pane's and the bulk toolbar's): the user's
// folders and the shared ones they may add to (moveTargets), but the one shown, a nested folder named with its parents. Nothing moves until a folder
// is chosen; the <select> it replaces moved the message as soon as an arrow key or a letter
// changed its value on the closed list.
import type { Mailbox } from '@/client/api-types';
import { Icon } from '@/components/icons';
import { mailboxPathLabel, mailboxPathNames, PATH_LABEL_SEPARATOR } from './mailbox-order';
import { MenuButton, type MenuItem } from './menu-button';
import { mayDo } from './sharing-operations';

/**
 * Where messages may be moved to: the user's folders, then those other users share with them that
 * they may add messages to (`i`; the API stores a message again for that folder's owner).
 */
export function moveTargets(mailboxes: Mailbox[], shared: Mailbox[]): Mailbox[] {
  return [...mailboxes, ...shared.filter((mailbox) => mayDo(mailbox, 'i'))];
}

export function MoveMenu({
  label,
  text,
  textClassName = '',
  mailboxes,
  currentMailbox,
  onMove,
  disabled,
  align,
  testId,
}: {
  /** The button's accessible name and tooltip ("Move to folder"). */
  label: string;
  /** The visible text beside the folder icon; the accessible name contains it. */
  text: string;
  /** Classes for that text (e.g. hidden at phone width). */
  textClassName?: string;
  mailboxes: Mailbox[];
  currentMailbox: Mailbox | undefined;
  onMove: (mailboxId: string) => void;
  disabled?: boolean;
  align: 'left' | 'right';
  testId: string;
}) {
  const items: MenuItem[] = mailboxes
    .filter((mailbox) => mailbox.id !== currentMailbox?.id)
    .map((mailbox) => ({
      id: mailbox.id,
      label: moveTargetLabel(mailbox),
      content: mailbox.shared ? moveTargetLabel(mailbox) : <FolderName mailbox={mailbox} />,
      onSelect: () => onMove(mailbox.id),
    }));
  return (
    <MenuButton
      label={label}
      title={label}
      items={items}
      disabled={disabled}
      align={align}
      menuClassName="w-56 max-w-[calc(100vw-1rem)]"
      buttonClassName="flex items-center gap-1 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-800 hover:bg-slate-50 disabled:cursor-wait disabled:opacity-70"
      testId={testId}
    >
      <Icon name="folder" className="h-4 w-4 shrink-0" />
      <span className={textClassName}>{text}</span>
      <Icon name="chevronDown" className="h-4 w-4 shrink-0 text-slate-500" />
    </MenuButton>
  );
}

/** A folder as the menu names it: a shared one with its owner, as "Shared with me" does. */
export function moveTargetLabel(mailbox: Mailbox): string {
  if (!mailbox.shared) return mailboxPathLabel(mailbox);
  const path = mailbox.shared.path.split('/').join(PATH_LABEL_SEPARATOR);
  return `${path} (${mailbox.shared.ownerAddress})`;
}

/** The folder's path label, its parents dimmed so the folder's own name stands out. */
function FolderName({ mailbox }: { mailbox: Mailbox }) {
  const names = mailboxPathNames(mailbox);
  const own = names.pop();
  if (!names.length) return <>{own}</>;
  return (
    <span className="break-words">
      <span className="text-slate-600">
        {names.join(PATH_LABEL_SEPARATOR)}
        {PATH_LABEL_SEPARATOR}
      </span>
      {own}
    </span>
  );
}
