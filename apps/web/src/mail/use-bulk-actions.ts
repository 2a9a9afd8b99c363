'use client';
// Bulk actions on the ticked messages: the server does them (a whole folder may be selected,
// most of it never loaded here); the list shows the outcome, and a move can be undone from the
// toast for a few seconds.
import { useCallback, useEffect, useState } from 'react';
import type { Mailbox } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { bulkMessages, undoBulk, type BulkAction } from './bulk-operations';
import { mailboxLabel } from './mailbox-order';
import type { BulkSelection } from './use-bulk-selection';
import type { MessageListModel } from './use-message-list';
import { withFlags } from './use-message-list';
import type { Say } from './use-notice';

/** How long the toast offers Undo (the server keeps it longer). */
export const UNDO_OFFER_MS = 8_000;

/** The flag each flag action sets or clears. */
const FLAG_ACTIONS: Partial<Record<BulkAction, { flag: string; on: boolean }>> = {
  MARK_READ: { flag: '\\Seen', on: true },
  MARK_UNREAD: { flag: '\\Seen', on: false },
  FLAG: { flag: '\\Flagged', on: true },
  UNFLAG: { flag: '\\Flagged', on: false },
};

export interface UndoOffer {
  text: string;
  token: string;
  /** Tells two offers with the same text apart (the timer restarts). */
  id: number;
}

export function useBulkActions({
  bulk,
  list,
  mailboxes,
  refreshMailboxes,
  say,
}: {
  bulk: BulkSelection;
  list: MessageListModel;
  mailboxes: Mailbox[];
  refreshMailboxes: () => void;
  say: Say;
}) {
  const [busy, setBusy] = useState(false);
  const [offer, setOffer] = useState<UndoOffer | null>(null);
  const { updateWhere, removeWhere, reload } = list;

  useEffect(() => {
    if (!offer) return;
    const timer = setTimeout(() => setOffer(null), UNDO_OFFER_MS);
    return () => clearTimeout(timer);
  }, [offer]);

  const run = useCallback(
    async (action: BulkAction, targetMailboxId: string | null = null) => {
      if (!bulk.count || busy) return;
      const selection = bulk.toSelection();
      const wholeFolder = bulk.allInFolder;
      const { isSelected } = bulk;
      setBusy(true);
      try {
        const outcome = await bulkMessages(selection, action, targetMailboxId);
        const flagChange = FLAG_ACTIONS[action];
        if (flagChange) {
          updateWhere(
            (item) => isSelected(item.id),
            (item) =>
              withFlags(
                item,
                flagChange.on
                  ? [...new Set([...item.flags, flagChange.flag])]
                  : item.flags.filter((flag) => flag !== flagChange.flag),
              ),
          );
          say(`${countText(outcome.count)} ${FLAG_DONE[action]}.`);
        } else {
          // a whole folder went: read the list again; else take the moved rows out
          if (wholeFolder) void reload();
          else removeWhere((item) => isSelected(item.id));
          const text = `${countText(outcome.count)} ${movedText(action, targetMailboxId, mailboxes)}.`;
          if (outcome.undoToken) setOffer({ text, token: outcome.undoToken, id: Date.now() });
          else say(text);
        }
        bulk.clear();
        refreshMailboxes();
      } catch (error) {
        say(`Not done: ${describeError(error)}`, 'error');
        // a huge selection can outlast the wait and still be done on the server: show what is so
        bulk.clear();
        void reload();
        refreshMailboxes();
      } finally {
        setBusy(false);
      }
    },
    [bulk, busy, mailboxes, updateWhere, removeWhere, reload, refreshMailboxes, say],
  );

  const undo = useCallback(async () => {
    if (!offer) return;
    setOffer(null);
    try {
      const count = await undoBulk(offer.token);
      say(`${countText(count)} put back.`);
      void reload();
      refreshMailboxes();
    } catch (error) {
      say(`Not undone: ${describeError(error)}`, 'error');
    }
  }, [offer, reload, refreshMailboxes, say]);

  return {
    busy,
    run,
    /** The last move, while it can be undone from the toast. */
    offer,
    undo,
    dismissOffer: () => setOffer(null),
  };
}

const FLAG_DONE: Partial<Record<BulkAction, string>> = {
  MARK_READ: 'marked as read',
  MARK_UNREAD: 'marked as unread',
  FLAG: 'starred',
  UNFLAG: 'unstarred',
};

function countText(count: number): string {
  return `${count.toLocaleString('en')} ${count === 1 ? 'message' : 'messages'}`;
}

function movedText(action: BulkAction, targetMailboxId: string | null, mailboxes: Mailbox[]): string {
  switch (action) {
    case 'DELETE':
      return 'deleted';
    case 'REPORT_SPAM':
      return 'reported as spam and moved to Junk';
    case 'ARCHIVE':
      return 'moved to Archive';
    default: {
      const target = mailboxes.find((mailbox) => mailbox.id === targetMailboxId);
      return `moved to ${target ? mailboxLabel(target) : 'the folder'}`;
    }
  }
}
