'use client';
// A button that opens a menu of actions (the WAI-ARIA menu button pattern). Enter, Space or
// ArrowDown opens it on its first item, ArrowUp on its last; in the menu the arrows, Home and End
// move, a typed character moves to the next item starting with it, Enter, Space or a click choose,
// Escape closes it and returns to the button, Tab or a click elsewhere closes it. Nothing happens
// until an item is chosen, unlike a native <select>, whose value a closed arrow key already changes.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { isTypeaheadKey, menuKeyTarget } from './menu-navigation';

export interface MenuItem {
  /** Unique among the items; the label when left out. */
  id?: string;
  /** The item's name: what is drawn (unless `content` is given) and what typeahead matches. */
  label: string;
  /** Drawn instead of the label; its text must read as the label does. */
  content?: ReactNode;
  onSelect: () => void;
  /** Destructive (delete, empty): drawn in red. */
  danger?: boolean;
}

export function MenuButton({
  label,
  items,
  children,
  title,
  disabled = false,
  align = 'right',
  buttonClassName,
  menuClassName = 'w-48',
  testId,
}: {
  /** The accessible name of the button and of its menu. */
  label: string;
  items: MenuItem[];
  /** What the button shows: an icon, a short text. */
  children: ReactNode;
  title?: string;
  disabled?: boolean;
  /** Which edge of the button the menu lines up with (the one away from the screen's edge). */
  align?: 'left' | 'right';
  buttonClassName: string;
  /** The menu's width. */
  menuClassName?: string;
  testId?: string;
}) {
  /** Closed, or open with the focus to go to its first or last item. */
  const [openAt, setOpenAt] = useState<'first' | 'last' | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const menuId = useId();
  const open = openAt !== null;

  const itemElements = () =>
    Array.from(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);

  useEffect(() => {
    if (!openAt) return;
    const elements = itemElements();
    elements[openAt === 'first' ? 0 : elements.length - 1]?.focus();
    const closeOutside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpenAt(null);
    };
    document.addEventListener('pointerdown', closeOutside);
    return () => document.removeEventListener('pointerdown', closeOutside);
  }, [openAt]);

  // a button disabled while its menu is open (the toolbar is busy) closes the menu
  useEffect(() => {
    if (disabled) setOpenAt(null);
  }, [disabled]);

  const onButtonKey = (event: KeyboardEvent) => {
    // Enter and Space press the button (onClick); the arrows open the menu at either end
    if (open || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp')) return;
    event.preventDefault();
    setOpenAt(event.key === 'ArrowDown' ? 'first' : 'last');
  };

  const onMenuKey = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const elements = itemElements();
    const at = elements.indexOf(document.activeElement as HTMLElement);
    const labels = items.map((item) => item.label);
    const target = menuKeyTarget(event.key, at, labels);
    if (target !== null || isTypeaheadKey(event.key)) {
      // the key is the menu's even when no item starts with it: a letter is no page shortcut here
      event.preventDefault();
      event.stopPropagation();
      if (target !== null) elements[target]?.focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setOpenAt(null);
      button.current?.focus();
    } else if (event.key === 'Tab') {
      // the focus goes on from the button's place in the page, and the menu closes behind it
      setOpenAt(null);
    }
  };

  const choose = (item: MenuItem) => {
    // the button keeps the focus, so a dialog the item opens gives it back there when it closes
    button.current?.focus();
    setOpenAt(null);
    item.onSelect();
  };

  return (
    <div className="relative shrink-0">
      <button
        ref={button}
        type="button"
        aria-label={label}
        title={title}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        disabled={disabled}
        onClick={() => setOpenAt((was) => (was ? null : 'first'))}
        onKeyDown={onButtonKey}
        className={buttonClassName}
        data-testid={testId}
      >
        {children}
      </button>
      {open ? (
        <ul
          ref={menu}
          id={menuId}
          role="menu"
          aria-label={label}
          onKeyDown={onMenuKey}
          className={`absolute top-full z-50 mt-1 max-h-80 overflow-y-auto rounded-lg border border-slate-200 bg-white py-1 shadow-lg ${
            align === 'right' ? 'right-0' : 'left-0'
          } ${menuClassName}`}
        >
          {items.map((item) => (
            <li key={item.id ?? item.label} role="none">
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                onClick={() => choose(item)}
                className={`block w-full px-3 py-2 text-left text-sm hover:bg-slate-100 focus:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600 focus-visible:ring-inset ${
                  item.danger ? 'text-red-700' : 'text-slate-800'
                }`}
              >
                {item.content ?? item.label}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
