'use client';
// Whether the message list shows conversations or single messages: a choice of this browser,
// kept in localStorage (tests read and set it there too) and shared by every tab through the
// storage event.
import { useCallback, useSyncExternalStore } from 'react';

export type ListMode = 'conversations' | 'messages';

/** The localStorage key; its value is a ListMode. */
export const LIST_MODE_KEY = 'wildduck.mail.listMode';

/** Single messages until the user picks conversations: the list every existing user knows. */
const DEFAULT_MODE: ListMode = 'messages';

const listeners = new Set<() => void>();
/** The choice of this page, for when storage refuses to keep it. */
let chosen: ListMode | null = null;

function readMode(): ListMode {
  try {
    return window.localStorage.getItem(LIST_MODE_KEY) === 'conversations' ? 'conversations' : 'messages';
  } catch {
    // storage refused (private mode, policy): this page's choice, else the default
    return chosen ?? DEFAULT_MODE;
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === LIST_MODE_KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** The list mode and a setter that remembers it; the server renders the default. */
export function useListMode(): [ListMode, (mode: ListMode) => void] {
  const mode = useSyncExternalStore(subscribe, readMode, () => DEFAULT_MODE);
  const setMode = useCallback((next: ListMode) => {
    chosen = next;
    try {
      window.localStorage.setItem(LIST_MODE_KEY, next);
    } catch {
      // not remembered, but switched for this page (`chosen`)
    }
    for (const listener of listeners) listener();
  }, []);
  return [mode, setMode];
}
