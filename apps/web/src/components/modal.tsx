'use client';
// A modal dialog on the native <dialog> element: focus moves in and is trapped there, Escape
// closes it, and focus returns to where it was. Used by compose, shortcuts help and admin forms.
import { useEffect, useRef, type ReactNode } from 'react';

export function Modal({
  title,
  onClose,
  children,
  wide = false,
  labelledBy,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  /** Id of a visible heading inside; else the title is rendered as the heading. */
  labelledBy?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const opener = document.activeElement as HTMLElement | null;
    element.showModal();
    // showModal() puts the focus on the dialog's first control (Close), and a child's autoFocus ran
    // while the dialog was still closed and could not take it: the field marked to start in gets it
    element.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    const onCancel = (event: Event) => {
      event.preventDefault();
      close.current();
    };
    element.addEventListener('cancel', onCancel);
    return () => {
      element.removeEventListener('cancel', onCancel);
      element.close();
      opener?.focus?.();
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      aria-labelledby={labelledBy ?? 'modal-title'}
      className={`m-auto w-[calc(100%-1.5rem)] ${wide ? 'max-w-3xl' : 'max-w-lg'} rounded-xl border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-black/50`}
    >
      {labelledBy ? null : (
        <div className="flex items-center justify-between border-b border-slate-200 px-5 py-3">
          <h2 id="modal-title" className="text-lg font-semibold">
            {title}
          </h2>
          <button
            type="button"
            onClick={onClose}
            className="rounded-md p-1.5 text-slate-600 hover:bg-slate-100"
            aria-label="Close"
          >
            <svg viewBox="0 0 24 24" className="h-5 w-5" aria-hidden="true">
              <path d="M6 6l12 12M18 6 6 18" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
            </svg>
          </button>
        </div>
      )}
      {children}
    </dialog>
  );
}
