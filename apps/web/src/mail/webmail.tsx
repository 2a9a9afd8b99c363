'use client';
// The webmail screen: folders, the message list and the reading pane side by side (one at a
// time at phone width), compose, search, keyboard shortcuts and live updates.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { Mailbox, MailboxChange, Message, MessageSummary } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { DialogFooter } from '@/components/dialog-footer';
import { FormError, TextField } from '@/components/form-field';
import { Icon } from '@/components/icons';
import { Modal } from '@/components/modal';
import { ComposeDialog } from './compose-dialog';
import { draftSeed, EMPTY_SEED, forwardSeed, replySeed, type ComposeSeed } from './compose-state';
import { FolderList } from './folder-list';
import { findSpecial, mailboxLabel, sortMailboxes, specialUseOf } from './mailbox-order';
import { MessageList } from './message-list';
import {
  clearFlags,
  createMailbox,
  deleteMessages,
  fetchMailboxes,
  fetchMessage,
  moveMessages,
  setFlags,
} from './operations';
import { ReadingPane, type MessageAction } from './reading-pane';
import { ShortcutsHelp } from './shortcuts-help';
import { useLiveChanges, type LiveStatus } from './use-live-changes';
import { useMessageList, withFlags } from './use-message-list';

interface Notice {
  text: string;
  tone: 'info' | 'error';
  id: number;
}

const NOTICE_MS = 5_000;

export function Webmail({
  address,
  initialMailboxes,
  initialFolderId,
}: {
  address: string;
  initialMailboxes: Mailbox[];
  initialFolderId: string | null;
}) {
  const [mailboxes, setMailboxes] = useState(() => sortMailboxes(initialMailboxes));
  const [currentId, setCurrentId] = useState<string | null>(
    () =>
      initialMailboxes.find((mailbox) => mailbox.id === initialFolderId)?.id ??
      findSpecial(initialMailboxes, 'Inbox')?.id ??
      initialMailboxes[0]?.id ??
      null,
  );
  const [searchInput, setSearchInput] = useState('');
  const [search, setSearch] = useState('');
  const list = useMessageList(currentId, search);
  const [cursorId, setCursorId] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const loaded = useRef<Message | null>(null);
  const [compose, setCompose] = useState<{ seed: ComposeSeed; title: string } | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [newFolderOpen, setNewFolderOpen] = useState(false);
  const [foldersOpen, setFoldersOpen] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const searchBox = useRef<HTMLInputElement>(null);

  const current = mailboxes.find((mailbox) => mailbox.id === currentId);
  const openSummary = openId ? list.items.find((item) => item.id === openId) : undefined;
  const cursorSummary = cursorId ? list.items.find((item) => item.id === cursorId) : undefined;
  const target = openSummary ?? cursorSummary;

  const say = useCallback((text: string, tone: Notice['tone'] = 'info') => {
    setNotice({ text, tone, id: Date.now() });
  }, []);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  // The folder in the address bar, so a reload comes back to it.
  useEffect(() => {
    if (!currentId) return;
    const url = new URL(window.location.href);
    url.searchParams.set('folder', currentId);
    window.history.replaceState(null, '', url);
  }, [currentId]);

  // ---- folders and live updates ----
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const refreshMailboxes = useCallback(() => {
    clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(() => {
      fetchMailboxes()
        .then((fresh) => setMailboxes(sortMailboxes(fresh)))
        .catch(() => undefined);
    }, 250);
  }, []);
  useEffect(() => () => clearTimeout(refreshTimer.current), []);

  const topTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const { refreshTop, removeWhere, updateWhere } = list;
  const onChange = useCallback(
    (change: MailboxChange) => {
      if (change.mailboxId === currentId) {
        if (change.type === 'EXISTS') {
          clearTimeout(topTimer.current);
          topTimer.current = setTimeout(() => void refreshTop(), 60);
        } else if (change.type === 'EXPUNGE') {
          removeWhere((message) => message.uid === change.uid);
        } else if (change.type === 'FLAGS' && change.flags) {
          const flags = change.flags;
          updateWhere(
            (message) => message.uid === change.uid,
            (message) => withFlags(message, flags),
          );
        }
      }
      if (change.type === 'MAILBOX_DELETED' && change.mailboxId === currentId) {
        setCurrentId(findSpecial(mailboxes, 'Inbox')?.id ?? null);
      }
      refreshMailboxes();
    },
    [currentId, mailboxes, refreshTop, removeWhere, updateWhere, refreshMailboxes],
  );
  // What arrived between the page's first read and the feed being up (or while it was down).
  const onConnected = useCallback(() => {
    refreshMailboxes();
    void refreshTop();
  }, [refreshMailboxes, refreshTop]);
  const live = useLiveChanges(onChange, onConnected);

  // ---- selection ----
  const selectFolder = (id: string) => {
    setCurrentId(id);
    setOpenId(null);
    setCursorId(null);
    setSearch('');
    setSearchInput('');
    setFoldersOpen(false);
  };

  const patchFlags = useCallback(
    async (message: MessageSummary, flag: string, on: boolean) => {
      const flags = on
        ? [...new Set([...message.flags, flag])]
        : message.flags.filter((other) => other !== flag);
      updateWhere(
        (item) => item.id === message.id,
        (item) => withFlags(item, flags),
      );
      try {
        await (on ? setFlags : clearFlags)([message.id], [flag]);
        refreshMailboxes();
      } catch (error) {
        updateWhere(
          (item) => item.id === message.id,
          (item) => withFlags(item, message.flags),
        );
        say(describeError(error), 'error');
      }
    },
    [updateWhere, refreshMailboxes, say],
  );

  const open = useCallback(
    (message: MessageSummary) => {
      setCursorId(message.id);
      setOpenId(message.id);
      if (!message.seen) void patchFlags(message, '\\Seen', true);
    },
    [patchFlags],
  );

  const step = (delta: number) => {
    if (!list.items.length) return;
    const index = cursorId ? list.items.findIndex((item) => item.id === cursorId) : -1;
    const next = list.items[Math.min(list.items.length - 1, Math.max(0, index + delta))];
    if (!next) return;
    if (openId) open(next);
    else setCursorId(next.id);
  };

  /** After a message leaves the list, the cursor goes to its neighbour and the pane closes. */
  const leave = (message: MessageSummary) => {
    const index = list.items.findIndex((item) => item.id === message.id);
    const neighbour = list.items[index + 1] ?? list.items[index - 1];
    removeWhere((item) => item.id === message.id);
    setCursorId(neighbour?.id ?? null);
    if (openId === message.id) setOpenId(null);
  };

  const moveTo = async (message: MessageSummary, mailboxId: string, note?: string) => {
    const destination = mailboxes.find((mailbox) => mailbox.id === mailboxId);
    if (!destination || mailboxId === message.mailboxId) return;
    leave(message);
    try {
      await moveMessages([message.id], mailboxId);
      say(note ?? `Moved to ${mailboxLabel(destination)}.`);
      refreshMailboxes();
    } catch (error) {
      say(`Not moved: ${describeError(error)}`, 'error');
      void list.reload();
    }
  };

  const remove = async (message: MessageSummary) => {
    leave(message);
    try {
      const result = await deleteMessages([message.id]);
      say(result.expunged.length ? 'Deleted for good.' : 'Moved to Trash.');
      refreshMailboxes();
    } catch (error) {
      say(`Not deleted: ${describeError(error)}`, 'error');
      void list.reload();
    }
  };

  const fullMessage = async (message: MessageSummary): Promise<Message | null> => {
    if (loaded.current?.id === message.id) return loaded.current;
    try {
      return await fetchMessage(message.id, false);
    } catch (error) {
      say(describeError(error), 'error');
      return null;
    }
  };

  const act = async (action: MessageAction, message: MessageSummary | undefined) => {
    if (!message) return;
    switch (action) {
      case 'toggleSeen':
        return patchFlags(message, '\\Seen', !message.seen);
      case 'toggleStar':
        return patchFlags(message, '\\Flagged', !message.flagged);
      case 'delete':
        return remove(message);
      case 'archive': {
        const archive = findSpecial(mailboxes, 'Archive');
        if (!archive) return say('There is no Archive folder.', 'error');
        if (archive.id === message.mailboxId) return say('This message is in the Archive already.');
        return moveTo(message, archive.id, 'Archived.');
      }
      case 'spam': {
        const inJunk = current && specialUseOf(current) === 'Junk';
        const destination = findSpecial(mailboxes, inJunk ? 'Inbox' : 'Junk');
        if (!destination) return say('There is no Junk folder.', 'error');
        return moveTo(
          message,
          destination.id,
          inJunk ? 'Marked as not spam and moved to the Inbox.' : 'Reported as spam and moved to Junk.',
        );
      }
      default: {
        const full = await fullMessage(message);
        if (!full) return;
        if (action === 'reply') setCompose({ seed: replySeed(full, address, false), title: 'Reply' });
        else if (action === 'replyAll')
          setCompose({ seed: replySeed(full, address, true), title: 'Reply all' });
        else if (action === 'forward') setCompose({ seed: forwardSeed(full), title: 'Forward' });
        else if (action === 'editDraft') setCompose({ seed: draftSeed(full), title: 'Draft' });
      }
    }
  };

  // ---- keyboard shortcuts ----
  const keyHandler = useRef<(event: KeyboardEvent) => void>(() => undefined);
  keyHandler.current = (event: KeyboardEvent) => {
    if (compose || helpOpen || newFolderOpen || event.ctrlKey || event.metaKey || event.altKey) return;
    const element = event.target as HTMLElement | null;
    if (element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName))) {
      if (event.key === 'Escape') element.blur();
      return;
    }
    const handled = () => event.preventDefault();
    switch (event.key) {
      case 'j':
        handled();
        return step(1);
      case 'k':
        handled();
        return step(-1);
      case 'o':
      case 'Enter':
        if (cursorSummary && element?.getAttribute('role') !== 'button' && element?.tagName !== 'BUTTON') {
          handled();
          open(cursorSummary);
        }
        return;
      case 'u':
      case 'Escape':
        if (openId) {
          handled();
          setOpenId(null);
        }
        return;
      case 'c':
        handled();
        return setCompose({ seed: EMPTY_SEED, title: 'New message' });
      case 'r':
        handled();
        return void act(target?.draft ? 'editDraft' : 'reply', target);
      case 'a':
        handled();
        return void act('replyAll', target);
      case 'f':
        handled();
        return void act('forward', target);
      case 'e':
        handled();
        return void act('archive', target);
      case '#':
        handled();
        return void act('delete', target);
      case '!':
        handled();
        return void act('spam', target);
      case 's':
        handled();
        return void act('toggleStar', target);
      case 'I':
        handled();
        if (target && !target.seen) void act('toggleSeen', target);
        return;
      case 'U':
        handled();
        if (target?.seen) void act('toggleSeen', target);
        return;
      case '/':
        handled();
        searchBox.current?.focus();
        return;
      case '?':
        handled();
        return setHelpOpen(true);
    }
  };
  useEffect(() => {
    const listener = (event: KeyboardEvent) => keyHandler.current(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  // Emptying the search box (its clear button, or deleting the text) ends the search.
  useEffect(() => {
    if (!searchInput.trim() && search) setSearch('');
  }, [searchInput, search]);

  const submitSearch = (event: FormEvent) => {
    event.preventDefault();
    setSearch(searchInput.trim());
    setOpenId(null);
    setCursorId(null);
  };

  const specialUse = current ? specialUseOf(current) : null;
  const folderName = current ? mailboxLabel(current) : 'this folder';
  const listLabel = search ? `Messages in ${folderName} matching ${search}` : `Messages in ${folderName}`;
  const emptyText = search
    ? `No message in ${folderName} matches “${search}”.`
    : specialUse === 'Inbox'
      ? 'Your inbox is empty. New mail appears here as it arrives.'
      : `${folderName} is empty.`;

  const onLoaded = useCallback((message: Message) => {
    loaded.current = message;
  }, []);

  return (
    <div className="flex min-h-0 flex-1">
      {/* Folders: a column from tablet width up, a drawer below it. */}
      <aside
        aria-label="Mail folders"
        className={`${foldersOpen ? 'fixed inset-0 z-40 flex' : 'hidden'} md:static md:z-auto md:flex md:w-60 md:shrink-0`}
      >
        <div className="flex w-72 max-w-[85vw] flex-col gap-3 overflow-y-auto border-r border-slate-200 bg-white p-3 md:w-full">
          <div className="flex items-center justify-between md:hidden">
            <span className="font-semibold">Folders</span>
            <button
              type="button"
              onClick={() => setFoldersOpen(false)}
              aria-label="Close folders"
              className="rounded-md p-1.5 hover:bg-slate-100"
            >
              <Icon name="close" />
            </button>
          </div>
          <button
            type="button"
            onClick={() => setCompose({ seed: EMPTY_SEED, title: 'New message' })}
            aria-keyshortcuts="c"
            className="flex items-center justify-center gap-2 rounded-lg bg-brand-700 px-4 py-2.5 font-semibold text-white shadow-sm hover:bg-brand-600"
          >
            <Icon name="pencil" className="h-4 w-4" />
            Compose
          </button>
          <FolderList
            mailboxes={mailboxes}
            currentId={currentId}
            onSelect={selectFolder}
            onDropMessage={(messageId, mailboxId) => {
              const message = list.items.find((item) => item.id === messageId);
              if (message) void moveTo(message, mailboxId);
            }}
            onCreateFolder={() => setNewFolderOpen(true)}
          />
          <button
            type="button"
            onClick={() => setHelpOpen(true)}
            className="mt-auto flex items-center gap-2 rounded-lg px-3 py-2 text-sm text-slate-600 hover:bg-slate-100"
            aria-keyshortcuts="?"
          >
            <Icon name="keyboard" className="h-4 w-4" />
            Keyboard shortcuts
          </button>
        </div>
        <button
          type="button"
          aria-label="Close folders"
          tabIndex={-1}
          className="flex-1 bg-slate-900/40 md:hidden"
          onClick={() => setFoldersOpen(false)}
        />
      </aside>

      <section
        id="main"
        aria-label={listLabel}
        className={`${openSummary ? 'hidden lg:flex' : 'flex'} min-w-0 flex-1 flex-col border-r border-slate-200 bg-white lg:w-[26rem] lg:flex-none xl:w-[30rem]`}
      >
        <div className="flex items-center gap-2 border-b border-slate-200 px-3 py-2">
          <button
            type="button"
            onClick={() => setFoldersOpen(true)}
            aria-label="Show folders"
            className="rounded-md p-2 text-slate-700 hover:bg-slate-100 md:hidden"
          >
            <Icon name="menu" />
          </button>
          <form
            role="search"
            onSubmit={submitSearch}
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
              value={searchInput}
              onChange={(event) => setSearchInput(event.target.value)}
              placeholder={`Search ${folderName}`}
              aria-keyshortcuts="/"
              className="min-w-0 flex-1 bg-transparent py-1.5 text-sm outline-none"
            />
          </form>
          <LiveIndicator status={live} />
        </div>
        <div className="flex items-baseline justify-between gap-2 border-b border-slate-100 px-4 py-2">
          <h1 className="truncate text-base font-semibold text-slate-900">
            {search ? `Search in ${folderName}` : folderName}
          </h1>
          <span className="shrink-0 text-xs text-slate-600" data-testid="list-count">
            {list.status === 'ready'
              ? `${list.total.toLocaleString('en')} ${list.total === 1 ? 'message' : 'messages'}`
              : ''}
          </span>
        </div>
        {search ? (
          <div className="flex items-center justify-between gap-2 bg-brand-50 px-4 py-1.5 text-sm text-brand-900">
            <span className="truncate">Results for “{search}”</span>
            <button
              type="button"
              onClick={() => {
                setSearch('');
                setSearchInput('');
              }}
              className="font-semibold underline"
            >
              Clear search
            </button>
          </div>
        ) : null}
        <MessageList
          list={list}
          label={listLabel}
          emptyText={emptyText}
          cursorId={cursorId}
          openId={openId}
          showRecipient={specialUse === 'Sent' || specialUse === 'Drafts'}
          onCursor={(message) => setCursorId(message.id)}
          onOpen={open}
          onToggleStar={(message) => void patchFlags(message, '\\Flagged', !message.flagged)}
          onLoadMore={() => void list.loadMore()}
          onRetry={() => void list.reload()}
        />
      </section>

      <div className={`${openSummary ? 'flex' : 'hidden lg:flex'} min-w-0 flex-1 flex-col`}>
        {openSummary ? (
          <ReadingPane
            key={openSummary.id}
            summary={openSummary}
            mailboxes={mailboxes}
            currentMailbox={current}
            onAction={(action) => void act(action, openSummary)}
            onMove={(mailboxId) => void moveTo(openSummary, mailboxId)}
            onClose={() => setOpenId(null)}
            onLoaded={onLoaded}
          />
        ) : (
          <div className="flex flex-1 flex-col items-center justify-center gap-2 bg-slate-50 p-8 text-center text-slate-600">
            <Icon name="mail" className="h-12 w-12 text-slate-300" />
            <p>Select a message to read it.</p>
            <p className="text-sm">
              Press <kbd className="rounded border border-slate-300 bg-white px-1 font-mono">?</kbd> for
              keyboard shortcuts.
            </p>
          </div>
        )}
      </div>

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
      {newFolderOpen ? (
        <NewFolderDialog
          onClose={() => setNewFolderOpen(false)}
          onCreated={(mailbox) => {
            setNewFolderOpen(false);
            setMailboxes((known) =>
              sortMailboxes([...known.filter((other) => other.id !== mailbox.id), mailbox]),
            );
            say(`Folder ${mailbox.path} created.`);
          }}
        />
      ) : null}

      <div
        aria-live="polite"
        className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex justify-center px-4"
      >
        {notice ? (
          <p
            key={notice.id}
            role={notice.tone === 'error' ? 'alert' : 'status'}
            className={`pointer-events-auto rounded-lg px-4 py-2.5 text-sm font-medium shadow-lg ${notice.tone === 'error' ? 'bg-red-800 text-white' : 'bg-slate-900 text-white'}`}
            data-testid="notice"
          >
            {notice.text}
          </p>
        ) : null}
      </div>
    </div>
  );
}

function LiveIndicator({ status }: { status: LiveStatus }) {
  const label = status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  return (
    <span
      role="status"
      className="flex shrink-0 items-center gap-1.5 text-xs text-slate-600"
      title="Live updates"
      data-testid="live-status"
      data-status={status}
    >
      <span
        className={`h-2 w-2 rounded-full ${status === 'live' ? 'bg-emerald-500' : 'bg-amber-500'}`}
        aria-hidden="true"
      />
      <span className="hidden sm:inline">{label}</span>
      <span className="sr-only sm:hidden">{label}</span>
    </span>
  );
}

function NewFolderDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (mailbox: Mailbox) => void;
}) {
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!path.trim()) return setError('Give the folder a name.');
    setPending(true);
    try {
      onCreated(await createMailbox(path.trim()));
    } catch (failure) {
      setError(describeError(failure));
      setPending(false);
    }
  };
  return (
    <Modal title="New folder" onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} className="space-y-4 px-5 py-4">
        {error ? <FormError>{error}</FormError> : null}
        <TextField
          id="folder-path"
          label="Name"
          hint="Use / for a folder inside another, e.g. Work/Projects."
          value={path}
          onChange={(event) => setPath(event.target.value)}
          autoFocus
        />
        <DialogFooter onCancel={onClose} confirmLabel="Create" pending={pending} />
      </form>
    </Modal>
  );
}
