'use client';
// The folders as a tree (a folder's children are the folders whose path continues its own), and
// which folders are collapsed, kept in the browser so a reload shows the tree as it was left.
import { useCallback, useEffect, useState } from 'react';
import type { Mailbox } from '@/client/api-types';
import { parentPath } from './folder-operations';

export interface FolderNode {
  mailbox: Mailbox;
  children: FolderNode[];
}

/**
 * The tree of folders, in the order given (sortMailboxes: INBOX and the special folders first). A
 * folder whose parent is missing (IMAP lets a parent be deleted) hangs under its nearest ancestor
 * that exists, else at the top.
 */
export function buildFolderTree(mailboxes: Mailbox[]): FolderNode[] {
  const byPath = new Map<string, FolderNode>();
  for (const mailbox of mailboxes) byPath.set(mailbox.path, { mailbox, children: [] });
  const roots: FolderNode[] = [];
  for (const mailbox of mailboxes) {
    const node = byPath.get(mailbox.path)!;
    let parent = parentPath(mailbox.path);
    while (parent && !byPath.has(parent)) parent = parentPath(parent);
    if (parent) byPath.get(parent)!.children.push(node);
    else roots.push(node);
  }
  return roots;
}

const STORAGE_KEY = 'webmail.collapsed-folders';

function readCollapsed(): Set<string> {
  try {
    const stored: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '[]');
    return new Set(Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : []);
  } catch {
    return new Set();
  }
}

/** The ids of collapsed folders (by id: a renamed or moved folder stays as it was). */
export function useCollapsedFolders() {
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  // read after the first render: the server renders every folder expanded
  useEffect(() => setCollapsed(readCollapsed()), []);

  const toggle = useCallback((id: string) => {
    setCollapsed((previous) => {
      const next = new Set(previous);
      if (!next.delete(id)) next.add(id);
      try {
        window.localStorage.setItem(STORAGE_KEY, JSON.stringify([...next]));
      } catch {
        // private browsing without storage: the state lasts until the page is left
      }
      return next;
    });
  }, []);

  const expand = useCallback(
    (id: string) => {
      if (collapsed.has(id)) toggle(id);
    },
    [collapsed, toggle],
  );

  return { collapsed, toggle, expand };
}
