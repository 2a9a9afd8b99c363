'use client';
// What can be done to a message (open, flag, move, delete, reply, forward), for the reading
// pane's buttons, the list and the keyboard alike. Changes show in the list at once and are
// undone there if the server refuses them.
import { useCallback, useRef } from 'react';
import type { Mailbox, Message, MessageSummary } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { draftSeed, forwardSeed, replySeed, type ComposeSeed } from './compose-state';
import { findSpecial, mailboxLabel, specialUseOf } from './mailbox-order';
import { clearFlags, deleteMessages, fetchMessage, moveMessages, setFlags } from './operations';
import type { MessageAction } from './reading-pane';
import type { MessageListModel } from './use-message-list';
import { withFlags } from './use-message-list';
import type { MessageSelection } from './use-message-selection';
import type { Say } from './use-notice';

export function useMessageActions({
  address,
  list,
  selection,
  mailboxes,
  moveTargets,
  currentMailbox,
  refreshMailboxes,
  say,
  compose,
}: {
  /** The signed-in user, left out of the recipients of a reply all. */
  address: string;
  list: MessageListModel;
  selection: MessageSelection;
  mailboxes: Mailbox[];
  /** Where "Move to" may move a message: the user's folders and shared ones with `i`. */
  moveTargets: Mailbox[];
  currentMailbox: Mailbox | undefined;
  refreshMailboxes: () => void;
  say: Say;
  /** Opens the compose dialog. */
  compose: (seed: ComposeSeed, title: string) => void;
}) {
  // The message the reading pane loaded last, so replying to it needs no second fetch.
  const loaded = useRef<Message | null>(null);
  const { updateWhere } = list;
  const { setCursorId, setOpenId } = selection;

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
    [patchFlags, setCursorId, setOpenId],
  );

  const moveTo = async (message: MessageSummary, mailboxId: string, note?: string) => {
    const destination = moveTargets.find((mailbox) => mailbox.id === mailboxId);
    if (!destination || mailboxId === message.mailboxId) return;
    selection.leave(message);
    try {
      await moveMessages([message.id], mailboxId);
      say(note ?? `Moved to ${mailboxLabel(destination)}.`);
      refreshMailboxes();
    } catch (error) {
      say(`Not moved: ${describeError(error)}`, 'error');
      // it left the list already: re-reading the list puts it back where the server still has it
      void list.reload();
    }
  };

  const remove = async (message: MessageSummary) => {
    selection.leave(message);
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
        // In Junk the same action means "not spam": back to the Inbox.
        const inJunk = currentMailbox && specialUseOf(currentMailbox) === 'Junk';
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
        if (action === 'reply') compose(replySeed(full, address, false), 'Reply');
        else if (action === 'replyAll') compose(replySeed(full, address, true), 'Reply all');
        else if (action === 'forward') compose(forwardSeed(full), 'Forward');
        else if (action === 'editDraft') compose(draftSeed(full), 'Draft');
      }
    }
  };

  const rememberLoaded = useCallback((message: Message) => {
    loaded.current = message;
  }, []);

  return {
    /** Opens a message in the reading pane and marks it read. */
    open,
    act,
    moveTo,
    toggleStar: (message: MessageSummary) => void patchFlags(message, '\\Flagged', !message.flagged),
    /** For the reading pane to hand over the message it loaded. */
    rememberLoaded,
  };
}
