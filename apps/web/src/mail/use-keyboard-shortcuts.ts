'use client';
// The webmail's keyboard shortcuts (the table in shortcuts.ts lists them for the help dialog).
import { useEffect, useRef } from 'react';
import type { MessageSummary } from '@/client/api-types';
import type { MessageAction } from './reading-pane';

export interface ShortcutTargets {
  /** A dialog is open: keys belong to it. */
  paused: boolean;
  /** The message under the cursor. */
  pointed: MessageSummary | undefined;
  /** The message actions apply to: the open one, else the one under the cursor. */
  target: MessageSummary | undefined;
  readerOpen: boolean;
  /** Moves the cursor `delta` rows (and the reading pane with it, when open). */
  step: (delta: number) => void;
  open: (message: MessageSummary) => void;
  closeReader: () => void;
  composeNew: () => void;
  act: (action: MessageAction, message: MessageSummary | undefined) => Promise<void>;
  focusSearch: () => void;
  showHelp: () => void;
}

export function useKeyboardShortcuts(targets: ShortcutTargets) {
  // One listener for the page's life, reading the latest targets: re-adding it on every render
  // would be wasteful, and a listener holding the first render's values would act on a stale list.
  const latest = useRef(targets);
  latest.current = targets;
  useEffect(() => {
    const listener = (event: KeyboardEvent) => handleShortcut(event, latest.current);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}

function handleShortcut(event: KeyboardEvent, to: ShortcutTargets) {
  // Ctrl/Cmd/Alt combinations are the browser's (and compose's Ctrl+Enter).
  if (to.paused || event.ctrlKey || event.metaKey || event.altKey) return;
  const element = event.target as HTMLElement | null;
  if (element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName))) {
    // typing is not a shortcut; Escape leaves the field so the next key is one
    if (event.key === 'Escape') element.blur();
    return;
  }
  const handled = () => event.preventDefault();
  const { target } = to;
  switch (event.key) {
    case 'j':
      handled();
      return to.step(1);
    case 'k':
      handled();
      return to.step(-1);
    case 'o':
    case 'Enter':
      // Enter on a focused button presses the button, not opens the message under the cursor.
      if (to.pointed && element?.getAttribute('role') !== 'button' && element?.tagName !== 'BUTTON') {
        handled();
        to.open(to.pointed);
      }
      return;
    case 'u':
    case 'Escape':
      if (to.readerOpen) {
        handled();
        to.closeReader();
      }
      return;
    case 'c':
      handled();
      return to.composeNew();
    case 'r':
      handled();
      return void to.act(target?.draft ? 'editDraft' : 'reply', target);
    case 'a':
      handled();
      return void to.act('replyAll', target);
    case 'f':
      handled();
      return void to.act('forward', target);
    case 'e':
      handled();
      return void to.act('archive', target);
    case '#':
      handled();
      return void to.act('delete', target);
    case '!':
      handled();
      return void to.act('spam', target);
    case 's':
      handled();
      return void to.act('toggleStar', target);
    case 'I':
      handled();
      if (target && !target.seen) void to.act('toggleSeen', target);
      return;
    case 'U':
      handled();
      if (target?.seen) void to.act('toggleSeen', target);
      return;
    case '/':
      handled();
      return to.focusSearch();
    case '?':
      handled();
      return to.showHelp();
  }
}
