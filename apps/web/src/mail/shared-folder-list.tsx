'use client';
// "Shared with me": the folders other users share with the user, under each owner's address,
// with the user's own unread counts (each reader keeps their own read marks).
import type { Mailbox } from '@/client/api-types';
import { Icon } from '@/components/icons';
import { UnreadBadge } from './unread-badge';

/** The folders by owner, owners in alphabetical order, each owner's folders by path. */
function byOwner(mailboxes: readonly Mailbox[]): [string, Mailbox[]][] {
  const groups = new Map<string, Mailbox[]>();
  for (const mailbox of mailboxes) {
    const owner = mailbox.shared?.ownerAddress ?? '';
    groups.set(owner, [...(groups.get(owner) ?? []), mailbox]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([owner, folders]) => [
      owner,
      folders.sort((a, b) => (a.shared?.path ?? a.path).localeCompare(b.shared?.path ?? b.path)),
    ]);
}

export function SharedFolderList({
  mailboxes,
  currentId,
  onSelect,
}: {
  mailboxes: Mailbox[];
  currentId: string | null;
  onSelect: (id: string) => void;
}) {
  if (!mailboxes.length) return null;
  return (
    <nav aria-labelledby="shared-folders-heading" className="flex flex-col gap-0.5">
      <h2
        id="shared-folders-heading"
        className="px-3 pt-2 text-xs font-semibold tracking-wide text-slate-500 uppercase"
      >
        Shared with me
      </h2>
      {byOwner(mailboxes).map(([owner, folders]) => (
        <div key={owner}>
          <p className="truncate px-3 pt-1 text-xs text-slate-600" title={owner} id={`shared-owner-${owner}`}>
            {owner}
          </p>
          <ul
            aria-labelledby={`shared-owner-${owner}`}
            className="flex flex-col gap-0.5"
            data-testid="shared-folder-list"
          >
            {folders.map((mailbox) => {
              const current = mailbox.id === currentId;
              const label = mailbox.shared?.path ?? mailbox.name;
              return (
                <li key={mailbox.id}>
                  <button
                    type="button"
                    onClick={() => onSelect(mailbox.id)}
                    aria-current={current ? 'page' : undefined}
                    aria-label={
                      mailbox.unseen ? `${label} (${owner}), ${mailbox.unseen} unread` : `${label} (${owner})`
                    }
                    data-shared-mailbox={label}
                    className={`flex w-full min-w-0 items-center gap-3 rounded-lg px-3 py-2 text-left text-sm ${
                      current
                        ? 'bg-brand-50 font-semibold text-brand-900'
                        : 'text-slate-700 hover:bg-slate-100'
                    }`}
                  >
                    <Icon name="folder" className="h-5 w-5 shrink-0 text-slate-500" />
                    <span className="min-w-0 flex-1 truncate">{label}</span>{' '}
                    <UnreadBadge count={mailbox.unseen} />
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
