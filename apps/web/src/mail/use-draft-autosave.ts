'use client';
// Compose's draft in Drafts: saved a moment after each change (each save replaces the previous
// one, and saves run one after another), and removed once the message is sent or discarded.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ComposeInput } from '@/client/api-types';
import { describeError } from '@/client/graphql';
import { deleteMessages, saveDraft } from './operations';

/** Quiet time after the last keystroke before the draft is saved. */
const DRAFT_DELAY_MS = 1_200;

export type DraftStatus =
  { state: 'idle' } | { state: 'saving' } | { state: 'saved'; at: Date } | { state: 'failed'; error: string };

/** `buildInput` must change (useCallback) whenever the message does: that is what starts a save. */
export function useDraftAutosave(buildInput: () => ComposeInput, initialDraftId: string | null) {
  const [status, setStatus] = useState<DraftStatus>({ state: 'idle' });
  const draftId = useRef<string | null>(initialDraftId);
  const lastSaved = useRef<string>('');
  const saving = useRef<Promise<void>>(Promise.resolve());
  // Once sent, discarded or closed, no save may run: it would bring back a draft just removed.
  const finished = useRef(false);
  // Nothing is saved before the first edit: opening a reply and closing it leaves no draft.
  const touched = useRef(false);

  /** Saves the draft unless nothing changed since the last save; saves run one after another. */
  const saveNow = useCallback(() => {
    const input = buildInput();
    const key = JSON.stringify(input);
    saving.current = saving.current.then(async () => {
      if (finished.current || key === lastSaved.current) return;
      setStatus({ state: 'saving' });
      try {
        const saved = await saveDraft(input, draftId.current);
        draftId.current = saved.id;
        lastSaved.current = key;
        setStatus({ state: 'saved', at: new Date() });
      } catch (failure) {
        setStatus({ state: 'failed', error: describeError(failure) });
      }
    });
    return saving.current;
  }, [buildInput]);

  // Drafts are saved as you type: a moment after the last change.
  useEffect(() => {
    if (!touched.current) return;
    const timer = setTimeout(() => void saveNow(), DRAFT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [saveNow]);

  const removeDraft = async () => {
    await saving.current;
    const id = draftId.current;
    if (!id) return;
    draftId.current = null;
    try {
      const result = await deleteMessages([id]);
      // Deleting from Drafts moves it to Trash; a draft is not worth keeping there.
      if (result.movedToTrash.length) await deleteMessages(result.movedToTrash).catch(() => undefined);
    } catch {
      // the draft stays in Drafts; nothing the user needs to act on now
    }
  };

  return {
    status,
    /** The user changed the message: from now on it is saved as a draft. */
    touch: () => {
      touched.current = true;
    },
    /** Before sending: waits for a save under way and lets no further one start. */
    stopSaving: async () => {
      await saving.current;
      finished.current = true;
    },
    /** Sending failed: the message is still being written. */
    resumeSaving: () => {
      finished.current = false;
    },
    /** After sending: the draft is no longer needed. */
    remove: removeDraft,
    /** Saves what was typed since the last save; answers whether a draft is kept in Drafts. */
    keepOnClose: async (): Promise<boolean> => {
      if (!touched.current || finished.current) return false;
      await saveNow();
      finished.current = true;
      return draftId.current !== null;
    },
    discard: async () => {
      finished.current = true;
      await removeDraft();
    },
  };
}
