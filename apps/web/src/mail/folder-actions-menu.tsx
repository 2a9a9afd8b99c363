'use client';
// The "Actions for <folder>" menu button of a folder row (WAI-ARIA menu button): Enter, Space or
// ArrowDown opens it on its first item, the arrows, Home and End move, Escape closes it and
// returns to the button, Tab or a click elsewhere closes it.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

export interface FolderMenuItem {
  label: string;
  onSelect: () => void;
  /** Destructive (delete, empty): drawn in red. */
  danger?: boolean;
}

export function FolderActionsMenu({ folderLabel, items }: { folderLabel: string; items: FolderMenuItem[] }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const menuId = useId();

  const itemElements = () =>
    Array.from(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
  const focusItem = (index: number) => {
    const elements = itemElements();
    elements[(index + elements.length) % elements.length]?.focus();
  };

  useEffect(() => {
    if (!open) return;
    focusItem(0);
    const closeOutside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', closeOutside);
    return () => document.removeEventListener('pointerdown', closeOutside);
  }, [open]);

  const onMenuKey = (event: KeyboardEvent) => {
    const elements = itemElements();
    const at = elements.indexOf(document.activeElement as HTMLElement);
    const moves: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      Home: 0,
      End: elements.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      focusItem(moves[event.key]!);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
      button.current?.focus();
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  };

  const choose = (item: FolderMenuItem) => {
    // the button keeps the focus, so a dialog the item opens gives it back there when it closes
    button.current?.focus();
    setOpen(false);
    item.onSelect();
  };

  return (
    <div className="relative shrink-0">
      <button
        ref={button}
        type="button"
        aria-label={`Actions for ${folderLabel}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((was) => !was)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault();
            setOpen(true);
          }
        }}
        className="rounded-md p-1.5 text-slate-500 hover:bg-slate-200 hover:text-slate-800"
      >
        <svg viewBox="0 0 24 24" className="h-4 w-4" aria-hidden="true">
          <circle cx="5" cy="12" r="1.8" fill="currentColor" />
          <circle cx="12" cy="12" r="1.8" fill="currentColor" />
          <circle cx="19" cy="12" r="1.8" fill="currentColor" />
        </svg>
      </button>
      {open ? (
        <ul
          ref={menu}
          id={menuId}
          role="menu"
          aria-label={`Actions for ${folderLabel}`}
          onKeyDown={onMenuKey}
          className="absolute right-0 top-full z-50 mt-1 w-48 rounded-lg border border-slate-200 bg-white py-1 shadow-lg"
        >
          {items.map((item) => (
            <li key={item.label} role="none">
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                onClick={() => choose(item)}
                className={`block w-full px-3 py-2 text-left text-sm hover:bg-slate-100 focus:bg-slate-100 focus:outline-none ${
                  item.danger ? 'text-red-700' : 'text-slate-800'
                }`}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
