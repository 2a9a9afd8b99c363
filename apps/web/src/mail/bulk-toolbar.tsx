'use client';
// While messages are ticked, the bar over the list acts on all of them at once: Move to…,
// Archive, Report spam, Delete, Mark read or unread, Star or unstar, and Clear.
import { useEffect, useRef } from 'react';
import type { Mailbox } from '@/client/api-types';
import { Icon, type IconName } from '@/components/icons';
import type { BulkAction } from './bulk-operations';
import { mailboxLabel } from './mailbox-order';
import { MoveMenu } from './move-menu';
import { SelectAllBanner } from './select-all-banner';
import { mayDo } from './sharing-operations';
import type { BulkSelection } from './use-bulk-selection';

/** The header checkbox: ticks every loaded message (or clears), mixed while only some are. */
export function SelectLoadedCheckbox({ bulk, disabled }: { bulk: BulkSelection; disabled?: boolean }) {
  const box = useRef<HTMLInputElement>(null);
  const all = bulk.allInFolder || bulk.allLoadedSelected;
  const mixed = bulk.count > 0 && !all;
  useEffect(() => {
    if (box.current) box.current.indeterminate = mixed;
  }, [mixed]);
  return (
    <input
      ref={box}
      type="checkbox"
      checked={all}
      disabled={disabled}
      onChange={bulk.toggleAllLoaded}
      aria-label={all ? 'Clear the selection' : 'Select all loaded messages'}
      className="h-4 w-4 shrink-0 cursor-pointer self-center accent-brand-700 disabled:cursor-default"
      data-testid="select-loaded"
    />
  );
}

/** What sits under the list's header: the toolbar while something is ticked, and the select-all banner. */
export function BulkBar({
  total,
  ...toolbar
}: Parameters<typeof BulkToolbar>[0] & {
  /** Messages in the folder (matching the search), loaded or not. */
  total: number;
}) {
  const { bulk, currentMailbox } = toolbar;
  return (
    <>
      {bulk.count ? <BulkToolbar {...toolbar} /> : null}
      <SelectAllBanner
        bulk={bulk}
        total={total}
        folderName={currentMailbox ? mailboxLabel(currentMailbox) : 'this folder'}
      />
    </>
  );
}

export function BulkToolbar({
  bulk,
  mailboxes,
  currentMailbox,
  busy,
  onAction,
}: {
  bulk: BulkSelection;
  mailboxes: Mailbox[];
  currentMailbox: Mailbox | undefined;
  busy: boolean;
  onAction: (action: BulkAction, targetMailboxId?: string) => void;
}) {
  const count = bulk.count;
  const own = !currentMailbox?.shared;
  return (
    <div
      role="toolbar"
      aria-label={`Actions on ${count} selected ${count === 1 ? 'message' : 'messages'}`}
      aria-busy={busy}
      className="flex flex-wrap items-center gap-x-1 gap-y-1 border-b border-slate-200 bg-brand-50 px-2 py-1.5"
      data-testid="bulk-toolbar"
    >
      <span
        className="mr-1 px-1 text-sm font-semibold text-brand-900"
        aria-live="polite"
        data-testid="bulk-count"
      >
        {count.toLocaleString('en')} selected
      </span>
      {/* in a folder another user shares: only what the user's rights allow (Move takes the
          messages out: t and e; Archive and Report spam are for the user's own folders) */}
      {mayDo(currentMailbox, 'rte') ? (
        <MoveMenu
          label="Move selected to folder"
          text="Move"
          mailboxes={mailboxes}
          currentMailbox={currentMailbox}
          onMove={(mailboxId) => onAction('MOVE', mailboxId)}
          disabled={busy}
          align="left"
          testId="bulk-move"
        />
      ) : null}
      {own ? (
        <>
          <BulkButton icon="archive" label="Archive" disabled={busy} onClick={() => onAction('ARCHIVE')} />
          <BulkButton
            icon="junk"
            label="Report spam"
            disabled={busy}
            onClick={() => onAction('REPORT_SPAM')}
          />
        </>
      ) : null}
      {mayDo(currentMailbox, 'te') ? (
        <BulkButton icon="trash" label="Delete" disabled={busy} onClick={() => onAction('DELETE')} />
      ) : null}
      {mayDo(currentMailbox, 's') ? (
        <>
          <BulkButton
            icon="mailOpen"
            label="Mark read"
            disabled={busy}
            onClick={() => onAction('MARK_READ')}
          />
          <BulkButton
            icon="mail"
            label="Mark unread"
            disabled={busy}
            onClick={() => onAction('MARK_UNREAD')}
          />
        </>
      ) : null}
      {mayDo(currentMailbox, 'w') ? (
        <>
          <BulkButton icon="star" filled label="Flag" disabled={busy} onClick={() => onAction('FLAG')} />
          <BulkButton icon="star" label="Unflag" disabled={busy} onClick={() => onAction('UNFLAG')} />
        </>
      ) : null}
      <button
        type="button"
        onClick={bulk.clear}
        aria-label="Clear the selection"
        aria-keyshortcuts="Escape"
        title="Clear the selection (Escape)"
        className="ml-auto rounded-md p-2 text-slate-700 hover:bg-white"
      >
        <Icon name="close" className="h-4 w-4" />
      </button>
    </div>
  );
}

function BulkButton({
  icon,
  label,
  filled,
  disabled,
  onClick,
}: {
  icon: IconName;
  label: string;
  filled?: boolean;
  disabled: boolean;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      aria-label={label}
      title={label}
      // icons only: the list column is narrow at every width; the name is the tooltip too
      className="flex items-center rounded-md p-2 text-sm text-slate-800 hover:bg-white disabled:cursor-wait disabled:opacity-70"
    >
      <Icon name={icon} filled={filled} className={`h-4 w-4 ${filled ? 'text-amber-500' : ''}`} />
    </button>
  );
}
