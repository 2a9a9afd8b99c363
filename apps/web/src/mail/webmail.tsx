'use client';
// The webmail screen: folders, the message list and the reading pane side by side (one at a
// time at phone width), compose, search, keyboard shortcuts and live updates. This file holds the
// screen's state and wires the parts together; each part and hook has its own file.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Mailbox } from '@/client/api-types';
import { BulkBar } from './bulk-toolbar';
import { ComposeDialog } from './compose-dialog';
import { ConversationPane } from './conversation-pane';
import { EMPTY_SEED, type ComposeSeed } from './compose-state';
import { FolderDialogs } from './folder-dialogs';
import { FolderSidebar } from './folder-sidebar';
import { useListMode } from './list-mode';
import { ListModeSwitch } from './list-mode-switch';
import { findSpecial } from './mailbox-order';
import { MessageListColumn } from './message-list-column';
import { moveTargets } from './move-menu';
import { NoticeToast } from './notice-toast';
import { ReaderColumn } from './reader-column';
import { ShortcutsHelp } from './shortcuts-help';
import { ThreadList } from './thread-list';
import { useConversations } from './use-conversations';
import { useFolderActions } from './use-folder-actions';
import { UndoToast } from './undo-toast';
import { useBulkActions } from './use-bulk-actions';
import { useBulkSelection } from './use-bulk-selection';
import { useBulkShortcuts } from './use-bulk-shortcuts';
import { useKeyboardShortcuts } from './use-keyboard-shortcuts';
import { useLiveListUpdates } from './use-live-list-updates';
import { useMailSearch } from './use-mail-search';
import { useMailboxes } from './use-mailboxes';
import { useMessageActions } from './use-message-actions';
import { useMessageList } from './use-message-list';
import { useMessageSelection } from './use-message-selection';
import { useNotice } from './use-notice';
import { useSharedMailboxes } from './use-shared-mailboxes';

export function Webmail({
  address,
  initialMailboxes,
  initialFolderId,
}: {
  address: string;
  initialMailboxes: Mailbox[];
  initialFolderId: string | null;
}) {
  const { mailboxes, refreshMailboxes: refreshOwn, addMailbox } = useMailboxes(initialMailboxes);
  const { shared, refreshShared } = useSharedMailboxes();
  // counts of the user's folders and of those shared with them move together (a read, a move)
  const refreshMailboxes = useCallback(() => {
    refreshOwn();
    refreshShared();
  }, [refreshOwn, refreshShared]);
  // a message moves into the user's folders and the shared ones they may add to
  const targets = useMemo(() => moveTargets(mailboxes, shared), [mailboxes, shared]);
  const [currentId, setCurrentId] = useState<string | null>(
    () =>
      initialMailboxes.find((mailbox) => mailbox.id === initialFolderId)?.id ??
      findSpecial(initialMailboxes, 'Inbox')?.id ??
      initialMailboxes[0]?.id ??
      null,
  );
  const search = useMailSearch();
  const [listMode, setListMode] = useListMode();
  const conversationMode = listMode === 'conversations';
  const list = useMessageList(conversationMode ? null : currentId, search.query);
  const conversations = useConversations({
    mailboxId: conversationMode ? currentId : null,
    searchText: search.query,
    list,
  });
  const selection = useMessageSelection(list);
  const bulk = useBulkSelection(list, currentId, search.query);
  const { notice, say } = useNotice();
  const [compose, setCompose] = useState<{ seed: ComposeSeed; title: string } | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [foldersOpen, setFoldersOpen] = useState(false);
  const searchBox = useRef<HTMLInputElement>(null);
  const current =
    mailboxes.find((mailbox) => mailbox.id === currentId) ??
    shared.find((mailbox) => mailbox.id === currentId);

  // The folder in the address bar, so a reload comes back to it.
  useEffect(() => {
    if (!currentId) return;
    const url = new URL(window.location.href);
    url.searchParams.set('folder', currentId);
    window.history.replaceState(null, '', url);
  }, [currentId]);

  const onCurrentFolderDeleted = useCallback(
    () => setCurrentId(findSpecial(mailboxes, 'Inbox')?.id ?? null),
    [mailboxes],
  );
  const live = useLiveListUpdates({
    currentId,
    list: conversations.liveList,
    refreshMailboxes,
    onCurrentFolderDeleted,
  });
  const folders = useFolderActions({
    mailboxes,
    refreshMailboxes,
    addMailbox,
    say,
    currentId,
    onCurrentFolderGone: onCurrentFolderDeleted,
  });

  const startCompose = (seed: ComposeSeed, title: string) => setCompose({ seed, title });
  const composeNew = () => startCompose(EMPTY_SEED, 'New message');
  const actions = useMessageActions({
    address,
    list,
    selection,
    mailboxes,
    moveTargets: targets,
    currentMailbox: current,
    refreshMailboxes,
    say,
    compose: startCompose,
  });

  const bulkActions = useBulkActions({ bulk, list, mailboxes: targets, refreshMailboxes, say });
  useBulkShortcuts({
    paused: Boolean(compose) || helpOpen || Boolean(folders.dialog) || conversationMode,
    pointed: selection.pointed,
    bulk,
  });

  const selectFolder = (id: string) => {
    setCurrentId(id);
    selection.clear();
    search.clear();
    setFoldersOpen(false);
  };

  useKeyboardShortcuts({
    paused: Boolean(compose) || helpOpen || Boolean(folders.dialog),
    pointed: selection.pointed,
    target: selection.target,
    readerOpen: Boolean(selection.openId),
    step: (delta) => {
      const next = selection.neighbour(delta);
      if (!next) return;
      // with a message open, moving opens the next one; else only the cursor moves
      if (selection.openId) actions.open(next);
      else selection.setCursorId(next.id);
    },
    open: actions.open,
    closeReader: () => selection.setOpenId(null),
    composeNew,
    act: actions.act,
    focusSearch: () => searchBox.current?.focus(),
    showHelp: () => setHelpOpen(true),
  });

  return (
    <div className="flex min-h-0 flex-1">
      <FolderSidebar
        drawerOpen={foldersOpen}
        onCloseDrawer={() => setFoldersOpen(false)}
        onCompose={composeNew}
        mailboxes={mailboxes}
        currentId={currentId}
        onSelectFolder={selectFolder}
        onDropMessage={(messageId, mailboxId) => {
          const message = list.items.find((item) => item.id === messageId);
          if (message) void actions.moveTo(message, mailboxId);
        }}
        folders={folders}
        sharedMailboxes={shared}
        onShowShortcuts={() => setHelpOpen(true)}
      />

      <MessageListColumn
        mailbox={current}
        list={list}
        search={search}
        searchBox={searchBox}
        onSearch={() => {
          search.submit();
          selection.clear();
        }}
        live={live}
        cursorId={selection.cursorId}
        openId={selection.openId}
        readerOpen={Boolean(selection.opened) || (conversationMode && Boolean(conversations.openId))}
        onShowFolders={() => setFoldersOpen(true)}
        onCursor={(message) => selection.setCursorId(message.id)}
        onOpen={actions.open}
        onToggleStar={actions.toggleStar}
        modeSwitch={
          <ListModeSwitch
            mode={listMode}
            onChange={(mode) => {
              selection.clear();
              conversations.clear();
              setListMode(mode);
            }}
          />
        }
        conversations={
          conversationMode
            ? {
                countText:
                  conversations.threads.status === 'ready'
                    ? `${conversations.threads.total.toLocaleString('en')} ${conversations.threads.total === 1 ? 'conversation' : 'conversations'}`
                    : '',
                list: (
                  <ThreadList
                    list={conversations.threads}
                    label={`Conversations in ${current?.name ?? 'this folder'}`}
                    emptyText={
                      search.query ? `No conversation matches “${search.query}”.` : 'No conversations here.'
                    }
                    cursorId={conversations.cursorId}
                    openId={conversations.openId}
                    onCursor={conversations.setCursor}
                    onOpen={conversations.open}
                    onLoadMore={() => void conversations.threads.loadMore()}
                    onRetry={() => void conversations.threads.reload()}
                  />
                ),
              }
            : undefined
        }
        // bulk actions work on single messages: the conversation list has no ticks
        bulk={conversationMode ? undefined : bulk}
        bulkBar={
          conversationMode ? null : (
            <BulkBar
              bulk={bulk}
              mailboxes={targets}
              currentMailbox={current}
              total={list.total}
              busy={bulkActions.busy}
              onAction={(action, target) => void bulkActions.run(action, target ?? null)}
            />
          )
        }
      />

      <ReaderColumn
        opened={conversationMode ? undefined : selection.opened}
        mailboxes={targets}
        currentMailbox={current}
        onAction={(action, message) => void actions.act(action, message)}
        onMove={(message, mailboxId) => void actions.moveTo(message, mailboxId)}
        onClose={() => selection.setOpenId(null)}
        onLoaded={actions.rememberLoaded}
        conversation={
          conversationMode && conversations.openId ? (
            <ConversationPane
              thread={conversations.openThread}
              mailboxes={targets}
              currentMailbox={current}
              onAction={(action, message) => void actions.act(action, message)}
              onMove={(message, mailboxId) => void actions.moveTo(message, mailboxId)}
              onClose={conversations.close}
              onLoaded={actions.rememberLoaded}
            />
          ) : undefined
        }
      />

      {compose ? (
        <ComposeDialog
          seed={compose.seed}
          title={compose.title}
          onClose={(note) => {
            setCompose(null);
            if (note) say(note);
          }}
          onSent={(note) => {
            setCompose(null);
            say(note);
            refreshMailboxes();
          }}
        />
      ) : null}
      {helpOpen ? <ShortcutsHelp onClose={() => setHelpOpen(false)} /> : null}
      <FolderDialogs folders={folders} mailboxes={mailboxes} say={say} />

      <NoticeToast notice={notice} />
      <UndoToast
        offer={bulkActions.offer}
        onUndo={() => void bulkActions.undo()}
        onDismiss={bulkActions.dismissOffer}
      />
    </div>
  );
}
