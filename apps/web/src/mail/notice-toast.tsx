'use client';
// Where notices appear: bottom centre, over the list, read out by screen readers (errors at once).
import type { Notice } from './use-notice';

export function NoticeToast({ notice }: { notice: Notice | null }) {
  return (
    // The live region stays in the page while empty: a region added together with its text is
    // not reliably announced.
    <div
      aria-live="polite"
      className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex justify-center px-4"
    >
      {notice ? (
        <p
          key={notice.id}
          role={notice.tone === 'error' ? 'alert' : 'status'}
          className={`pointer-events-auto rounded-lg px-4 py-2.5 text-sm font-medium shadow-lg ${notice.tone === 'error' ? 'bg-red-800 text-white' : 'bg-slate-900 text-white'}`}
          data-testid="notice"
        >
          {notice.text}
        </p>
      ) : null}
    </div>
  );
}
