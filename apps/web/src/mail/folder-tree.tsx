'use client';
// The folders as a tree: each folder indented under its parent, with its icon and unread count,
// a disclosure button when it has subfolders, and its actions menu. A folder is a drop target for
// a message dragged from the list (it moves there) and for another folder (it becomes a child);
// while a folder is dragged, "Top level" (below the list) takes it out of every parent.
import { useState, type DragEvent } from 'react';
import type { Mailbox } from '@/client/api-types';
import { Icon } from '@/components/icons';
import { FOLDER_DRAG_TYPE, MESSAGE_DRAG_TYPE } from './drag-types';
import { FolderActionsMenu, type FolderMenuItem } from './folder-actions-menu';
import type { FolderNode } from './folder-hierarchy';
import { canMoveInto, isUserFolder } from './folder-operations';
import { mailboxIcon, mailboxLabel } from './mailbox-order';
import { UnreadBadge } from './unread-badge';

/** Pixels each level is indented by. */
const INDENT_PX = 14;
/** The drop target id of the top level. */
const TOP_LEVEL = '';

export interface FolderTreeProps {
  nodes: FolderNode[];
  currentId: string | null;
  collapsed: Set<string>;
  onToggle: (id: string) => void;
  onSelect: (id: string) => void;
  onDropMessage: (messageId: string, mailboxId: string) => void;
  /** Move a folder into `parentPath` ('' for the top level). */
  onMoveFolder: (folder: Mailbox, parentPath: string) => void;
  actionsFor: (mailbox: Mailbox) => FolderMenuItem[];
}

export function FolderTree(props: FolderTreeProps) {
  const { nodes, currentId, onDropMessage, onMoveFolder } = props;
  const [dragged, setDragged] = useState<Mailbox | null>(null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);

  /** The folder path a drop here would move the dragged folder into, or the message drop's folder id. */
  const accepts = (event: DragEvent, target: Mailbox | null): boolean => {
    const types = event.dataTransfer.types;
    if (types.includes(MESSAGE_DRAG_TYPE)) return target !== null && target.id !== currentId;
    if (types.includes(FOLDER_DRAG_TYPE) && dragged) return canMoveInto(dragged, target?.path ?? TOP_LEVEL);
    return false;
  };
  const dragOver = (event: DragEvent, target: Mailbox | null) => {
    if (!accepts(event, target)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    setDropTarget(target?.id ?? TOP_LEVEL);
  };
  const dragLeave = (target: Mailbox | null) =>
    setDropTarget((was) => (was === (target?.id ?? TOP_LEVEL) ? null : was));
  const drop = (event: DragEvent, target: Mailbox | null) => {
    setDropTarget(null);
    const messageId = event.dataTransfer.getData(MESSAGE_DRAG_TYPE);
    if (messageId && target) {
      event.preventDefault();
      onDropMessage(messageId, target.id);
      return;
    }
    const folder = dragged;
    setDragged(null);
    if (folder && event.dataTransfer.getData(FOLDER_DRAG_TYPE) === folder.id) {
      event.preventDefault();
      if (canMoveInto(folder, target?.path ?? TOP_LEVEL)) onMoveFolder(folder, target?.path ?? TOP_LEVEL);
    }
  };

  const rows = { ...props, dragged, dropTarget, setDragged, setDropTarget, dragOver, dragLeave, drop };
  return (
    <>
      <ul className="flex flex-col gap-0.5" data-testid="folder-list">
        {nodes.map((node) => (
          <FolderRow key={node.mailbox.id} node={node} depth={0} rows={rows} />
        ))}
      </ul>
      {dragged ? (
        <div
          data-testid="top-level-drop"
          onDragOver={(event) => dragOver(event, null)}
          onDragLeave={() => dragLeave(null)}
          onDrop={(event) => drop(event, null)}
          className={`rounded-lg border-2 border-dashed px-3 py-2 text-sm ${
            dropTarget === TOP_LEVEL
              ? 'border-brand-500 bg-brand-50 text-brand-900'
              : 'border-slate-300 text-slate-600'
          }`}
        >
          Top level
        </div>
      ) : null}
    </>
  );
}

interface RowContext extends FolderTreeProps {
  dragged: Mailbox | null;
  dropTarget: string | null;
  setDragged: (folder: Mailbox | null) => void;
  setDropTarget: (id: string | null) => void;
  dragOver: (event: DragEvent, target: Mailbox | null) => void;
  dragLeave: (target: Mailbox | null) => void;
  drop: (event: DragEvent, target: Mailbox | null) => void;
}

function FolderRow({ node, depth, rows }: { node: FolderNode; depth: number; rows: RowContext }) {
  const { mailbox, children } = node;
  const current = mailbox.id === rows.currentId;
  const label = mailboxLabel(mailbox);
  const expanded = !rows.collapsed.has(mailbox.id);
  const movable = isUserFolder(mailbox);
  const subfolders = `subfolders-${mailbox.id}`;
  return (
    <li>
      <div
        className={`flex items-center gap-0.5 rounded-lg ${
          rows.dropTarget === mailbox.id
            ? 'bg-brand-100 ring-2 ring-brand-500'
            : current
              ? 'bg-brand-50'
              : 'hover:bg-slate-100'
        }`}
        style={{ paddingLeft: depth * INDENT_PX }}
      >
        {children.length ? (
          <button
            type="button"
            aria-label={`Subfolders of ${label}`}
            aria-expanded={expanded}
            aria-controls={expanded ? subfolders : undefined}
            onClick={() => rows.onToggle(mailbox.id)}
            className="shrink-0 rounded-md p-1 text-slate-500 hover:bg-slate-200 hover:text-slate-800"
          >
            <svg
              viewBox="0 0 24 24"
              className={`h-4 w-4 transition-transform ${expanded ? 'rotate-90' : ''}`}
              aria-hidden="true"
            >
              <path
                d="M9 5l7 7-7 7"
                fill="none"
                stroke="currentColor"
                strokeWidth="2"
                strokeLinecap="round"
              />
            </svg>
          </button>
        ) : (
          <span className="w-6 shrink-0" aria-hidden="true" />
        )}
        <button
          type="button"
          onClick={() => rows.onSelect(mailbox.id)}
          draggable={movable}
          onDragStart={(event) => {
            if (!movable) return;
            event.dataTransfer.setData(FOLDER_DRAG_TYPE, mailbox.id);
            event.dataTransfer.setData('text/plain', mailbox.path);
            event.dataTransfer.effectAllowed = 'move';
            // after dragstart: Chromium ends a drag whose source changes while it starts
            setTimeout(() => rows.setDragged(mailbox), 0);
          }}
          onDragEnd={() => {
            rows.setDragged(null);
            rows.setDropTarget(null);
          }}
          onDragOver={(event) => rows.dragOver(event, mailbox)}
          onDragLeave={() => rows.dragLeave(mailbox)}
          onDrop={(event) => rows.drop(event, mailbox)}
          aria-current={current ? 'page' : undefined}
          aria-label={mailbox.unseen ? `${label}, ${mailbox.unseen} unread` : label}
          data-mailbox={mailbox.path}
          className={`flex min-w-0 flex-1 items-center gap-3 rounded-lg px-2 py-2 text-left text-sm ${
            current ? 'font-semibold text-brand-900' : 'text-slate-700'
          }`}
        >
          <Icon name={mailboxIcon(mailbox)} className="h-5 w-5 shrink-0 text-slate-500" />
          <span className="min-w-0 flex-1 truncate" title={mailbox.path}>
            {label}
          </span>
          {/* a space between name and count, so the visible text reads as the accessible name does */}{' '}
          <UnreadBadge count={mailbox.unseen} />
        </button>
        <FolderActionsMenu folderLabel={label} items={rows.actionsFor(mailbox)} />
      </div>
      {children.length && expanded ? (
        <ul id={subfolders} className="mt-0.5 flex flex-col gap-0.5" aria-label={`Subfolders of ${label}`}>
          {children.map((child) => (
            <FolderRow key={child.mailbox.id} node={child} depth={depth + 1} rows={rows} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
