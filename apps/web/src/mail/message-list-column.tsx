'use client';
// The middle column: the search box and live status, the folder's name and count, then its
// messages. At phone and tablet width it gives way to the reading pane while a message is open.
import type { ReactNode, RefObject } from 'react';
import type { Mailbox, MessageSummary } from '@/client/api-types';
import { Icon } from '@/components/icons';
import { LiveIndicator } from './live-indicator';
import { mailboxLabel, specialUseOf } from './mailbox-order';
import { mayDo } from './sharing-operations';
import { SelectLoadedCheckbox } from './bulk-toolbar';
import { MessageList } from './message-list';
import type { BulkSelection } from './use-bulk-selection';
import type { LiveStatus } from './use-live-changes';
import type { MailSearch } from './use-mail-search';
import type { MessageListModel } from './use-message-list';

export function MessageListColumn({
  mailbox,
  list,
  search,
  searchBox,
  onSearch,
  live,
  cursorId,
  openId,
  readerOpen,
  onShowFolders,
  onCursor,
  onOpen,
  onToggleStar,
  modeSwitch,
  conversations,
  bulk,
  bulkBar,
}: {
  /** The folder shown. */
  mailbox: Mailbox | undefined;
  list: MessageListModel;
  search: MailSearch;
  /** For the "/" shortcut to focus the search box. */
  searchBox: RefObject<HTMLInputElement | null>;
  onSearch: () => void;
  live: LiveStatus;
  cursorId: string | null;
  openId: string | null;
  readerOpen: boolean;
  onShowFolders: () => void;
  onCursor: (message: MessageSummary) => void;
  onOpen: (message: MessageSummary) => void;
  onToggleStar: (message: MessageSummary) => void;
  /** The Conversations / Messages switch (list-mode-switch.tsx). */
  modeSwitch?: ReactNode;
  /** In conversation mode: the conversation list and its count, shown instead of the messages. */
  conversations?: { list: ReactNode; countText: string };
  /** The ticked messages, and the bulk toolbar and select-all banner shown under the header. */
  bulk?: BulkSelection;
  bulkBar?: ReactNode;
}) {
  const specialUse = mailbox ? specialUseOf(mailbox) : null;
  const folderName = mailbox ? mailboxLabel(mailbox) : 'this folder';
  const query = search.query;
  const listLabel = query ? `Messages in ${folderName} matching ${query}` : `Messages in ${folderName}`;
  const emptyText = query
    ? `No message in ${folderName} matches “${query}”.`
    : specialUse === 'Inbox'
      ? 'Your inbox is empty. New mail appears here as it arrives.'
      : `${folderName} is empty.`;

  return (
    <section
      id="main"
      aria-label={listLabel}
      className={`${readerOpen ? 'hidden lg:flex' : 'flex'} min-w-0 flex-1 flex-col border-r border-slate-200 bg-white lg:w-[26rem] lg:flex-none xl:w-[30rem]`}
    >
      <div className="flex items-center gap-2 border-b border-slate-200 px-3 py-2">
        <button
          type="button"
          onClick={onShowFolders}
          aria-label="Show folders"
          className="rounded-md p-2 text-slate-700 hover:bg-slate-100 md:hidden"
        >
          <Icon name="menu" />
        </button>
        <form
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            onSearch();
          }}
          className="flex min-w-0 flex-1 items-center gap-1 rounded-lg border border-slate-300 bg-slate-50 px-2 focus-within:border-brand-600 focus-within:ring-2 focus-within:ring-brand-200"
        >
          <Icon name="search" className="h-4 w-4 text-slate-500" />
          <label htmlFor="mail-search" className="sr-only">
            Search in {folderName}
          </label>
          <input
            id="mail-search"
            ref={searchBox}
            type="search"
            value={search.input}
            onChange={(event) => search.setInput(event.target.value)}
            placeholder={`Search ${folderName}`}
            aria-keyshortcuts="/"
            className="min-w-0 flex-1 bg-transparent py-1.5 text-sm outline-none"
          />
        </form>
        <LiveIndicator status={live} />
      </div>
      <div className="flex items-baseline justify-between gap-2 border-b border-slate-100 px-4 py-2">
        {bulk ? (
          <SelectLoadedCheckbox bulk={bulk} disabled={list.status !== 'ready' || !list.items.length} />
        ) : null}
        <h1 className="min-w-0 flex-1 truncate text-base font-semibold text-slate-900">
          {query ? `Search in ${folderName}` : folderName}
        </h1>
        <span className="ml-auto shrink-0 text-xs text-slate-600" data-testid="list-count">
          {conversations
            ? conversations.countText
            : list.status === 'ready'
              ? `${list.total.toLocaleString('en')} ${list.total === 1 ? 'message' : 'messages'}`
              : ''}
        </span>
        {modeSwitch}
      </div>
      {bulkBar}
      {query ? (
        <div className="flex items-center justify-between gap-2 bg-brand-50 px-4 py-1.5 text-sm text-brand-900">
          <span className="truncate">Results for “{query}”</span>
          <button type="button" onClick={search.clear} className="font-semibold underline">
            Clear search
          </button>
        </div>
      ) : null}
      {conversations ? (
        conversations.list
      ) : (
        <MessageList
          list={list}
          label={listLabel}
          emptyText={emptyText}
          cursorId={cursorId}
          openId={openId}
          showRecipient={specialUse === 'Sent' || specialUse === 'Drafts'}
          onCursor={onCursor}
          onOpen={onOpen}
          // in a folder shared read only, stars are shown, not changed
          onToggleStar={mayDo(mailbox, 'w') ? onToggleStar : undefined}
          onLoadMore={() => void list.loadMore()}
          onRetry={() => void list.reload()}
          isChecked={bulk?.isSelected}
          onCheck={bulk?.toggle}
        />
      )}
    </section>
  );
}
