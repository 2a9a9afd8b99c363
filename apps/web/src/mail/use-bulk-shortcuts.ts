'use client';
// The selection's keys: x ticks or unticks the message under the cursor, Shift+X every message
// from the last ticked one to it, Escape clears the selection.
import { useEffect, useRef } from 'react';
import type { MessageSummary } from '@/client/api-types';
import type { BulkSelection } from './use-bulk-selection';

export function useBulkShortcuts(targets: {
  /** A dialog is open: keys belong to it. */
  paused: boolean;
  pointed: MessageSummary | undefined;
  bulk: BulkSelection;
}) {
  // one listener for the page's life, reading the latest targets (as use-keyboard-shortcuts.ts)
  const latest = useRef(targets);
  latest.current = targets;
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      const { paused, pointed, bulk } = latest.current;
      if (paused || event.ctrlKey || event.metaKey || event.altKey) return;
      const element = event.target as HTMLElement | null;
      if (element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName))) {
        // a ticked checkbox keeps focus: Escape still clears
        if (!(event.key === 'Escape' && element instanceof HTMLInputElement && element.type === 'checkbox'))
          return;
      }
      if ((event.key === 'x' || event.key === 'X') && pointed) {
        event.preventDefault();
        bulk.toggle(pointed, event.key === 'X');
      } else if (event.key === 'Escape' && bulk.count) {
        bulk.clear();
      }
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}
