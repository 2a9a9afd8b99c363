'use client';
// After a bulk move ("230 messages moved to Archive. Undo"): the notice with an Undo button,
// offered for a few seconds. Its own live region, so the notice toast's stays as it is.
import type { UndoOffer } from './use-bulk-actions';

export function UndoToast({
  offer,
  onUndo,
  onDismiss,
}: {
  offer: UndoOffer | null;
  onUndo: () => void;
  onDismiss: () => void;
}) {
  return (
    <div
      aria-live="polite"
      className="pointer-events-none fixed inset-x-0 bottom-16 z-50 flex justify-center px-4"
    >
      {offer ? (
        <div
          key={offer.id}
          role="status"
          className="pointer-events-auto flex items-center gap-3 rounded-lg bg-slate-900 py-1.5 pr-1.5 pl-4 text-sm font-medium text-white shadow-lg"
          data-testid="undo-toast"
        >
          <span>{offer.text}</span>
          <button
            type="button"
            onClick={onUndo}
            className="rounded-md px-3 py-1 font-semibold text-brand-200 underline hover:bg-slate-700"
          >
            Undo
          </button>
          <button
            type="button"
            onClick={onDismiss}
            aria-label="Dismiss"
            className="rounded-md px-2 py-1 text-slate-300 hover:bg-slate-700"
          >
            ×
          </button>
        </div>
      ) : null}
    </div>
  );
}
