'use client';
// Whether live updates are flowing, beside the search box: while they are not, the list may miss
// new mail until they come back (and catch up).
import type { LiveStatus } from './use-live-changes';

export function LiveIndicator({ status }: { status: LiveStatus }) {
  const label = status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  return (
    <span
      role="status"
      className="flex shrink-0 items-center gap-1.5 text-xs text-slate-600"
      title="Live updates"
      data-testid="live-status"
      data-status={status}
    >
      <span
        className={`h-2 w-2 rounded-full ${status === 'live' ? 'bg-emerald-500' : 'bg-amber-500'}`}
        aria-hidden="true"
      />
      <span className="hidden sm:inline">{label}</span>
      <span className="sr-only sm:hidden">{label}</span>
    </span>
  );
}
