'use client';
// The live feed of the admin console: deliveries, sign-ins, failures and quota warnings of the
// whole server as they happen, newest first, with chips to show only some kinds.
import Link from 'next/link';
import { formatBytes } from '@/shared/format';
import { ADMIN_EVENT_TYPES, type AdminEvent, type AdminEventType } from './feed-operations';
import type { FeedStatus } from './use-admin-events';

const TYPE_LABELS: Record<AdminEventType, string> = {
  DELIVERY: 'Deliveries',
  DELIVERY_FAILED: 'Failed deliveries',
  SIGN_IN: 'Sign-ins',
  SIGN_IN_FAILED: 'Failed sign-ins',
  QUOTA_WARNING: 'Quota warnings',
};

/** Small stroke icons per kind (decorative: the words say the same). */
const TYPE_ICONS: Record<AdminEventType, { path: string; tone: string }> = {
  DELIVERY: { path: 'M3 5h18v14H3zM3 6l9 7 9-7', tone: 'bg-emerald-100 text-emerald-800' },
  DELIVERY_FAILED: { path: 'M3 5h18v14H3zM9 10l6 6M15 10l-6 6', tone: 'bg-red-100 text-red-800' },
  SIGN_IN: { path: 'M10 17l5-5-5-5M15 12H3M14 4h6v16h-6', tone: 'bg-sky-100 text-sky-800' },
  SIGN_IN_FAILED: {
    path: 'M12 3 4 6v6c0 5 3.5 8 8 9 4.5-1 8-4 8-9V6zM12 8v5M12 16h.01',
    tone: 'bg-amber-100 text-amber-900',
  },
  QUOTA_WARNING: { path: 'M12 3 2 20h20zM12 9v5M12 17h.01', tone: 'bg-orange-100 text-orange-900' },
};

function via(event: AdminEvent): string {
  return event.protocol ? ` (${event.protocol.toUpperCase()})` : '';
}

/** The feed's words for one event. */
export function describeEvent(event: AdminEvent): { lead: string; who: string; rest: string } {
  const who = event.address ?? 'an unknown user';
  switch (event.type) {
    case 'DELIVERY':
      return {
        lead: 'Delivered to',
        who,
        rest: `${event.remote ? ` from ${event.remote}` : ''}${via(event)}${event.detail ? ` — “${event.detail}”` : ''}${event.size ? `, ${formatBytes(event.size)}` : ''}`,
      };
    case 'DELIVERY_FAILED':
      return { lead: 'Delivery to', who, rest: ` failed${via(event)}: ${event.detail ?? 'unknown reason'}` };
    case 'SIGN_IN':
      return { lead: 'Sign-in by', who, rest: `${event.remote ? ` from ${event.remote}` : ''}${via(event)}` };
    case 'SIGN_IN_FAILED':
      return {
        lead: 'Failed sign-in as',
        who,
        rest: `${event.remote ? ` from ${event.remote}` : ''}${via(event)}${event.detail ? `: ${event.detail}` : ''}`,
      };
    case 'QUOTA_WARNING':
      return {
        lead: 'Quota warning for',
        who,
        rest:
          event.storageUsed !== null && event.storageUsed !== undefined && event.quota
            ? `: ${formatBytes(event.storageUsed)} of ${formatBytes(event.quota)}${event.detail ? ` (${event.detail})` : ''}`
            : event.detail
              ? `: ${event.detail}`
              : '',
      };
  }
}

export function EventIcon({ type }: { type: AdminEventType }) {
  const icon = TYPE_ICONS[type];
  return (
    <span
      className={`flex h-7 w-7 shrink-0 items-center justify-center rounded-full ${icon.tone}`}
      aria-hidden="true"
    >
      <svg
        viewBox="0 0 24 24"
        className="h-4 w-4"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.8}
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d={icon.path} />
      </svg>
    </span>
  );
}

/** One event as a list item (the console's feed and the user detail page). */
export function EventLine({ event, linkUser = true }: { event: AdminEvent; linkUser?: boolean }) {
  const words = describeEvent(event);
  return (
    <li
      className="flex gap-3 border-b border-slate-100 pb-2 last:border-0"
      data-testid="admin-event"
      data-type={event.type}
    >
      <EventIcon type={event.type} />
      <div className="min-w-0 text-sm">
        <p className="text-slate-800 [overflow-wrap:anywhere]">
          <span className="sr-only">{TYPE_LABELS[event.type]}: </span>
          {words.lead}{' '}
          {linkUser && event.userId ? (
            <Link
              href={`/admin/users/${event.userId}`}
              className="font-medium text-brand-700 underline underline-offset-2"
            >
              {words.who}
            </Link>
          ) : (
            <span className="font-medium">{words.who}</span>
          )}
          {words.rest}
        </p>
        <time dateTime={event.at} className="text-xs text-slate-600 tabular-nums" suppressHydrationWarning>
          {new Date(event.at).toLocaleString('en-GB', {
            day: 'numeric',
            month: 'short',
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
          })}
        </time>
      </div>
    </li>
  );
}

export function AdminFeed({
  events,
  shown,
  onToggle,
  status,
}: {
  events: AdminEvent[];
  /** The kinds shown (all when every chip is on). */
  shown: ReadonlySet<AdminEventType>;
  onToggle: (type: AdminEventType) => void;
  status: FeedStatus;
}) {
  const visible = events.filter((event) => shown.has(event.type));
  return (
    <section
      aria-labelledby="feed-title"
      className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="feed-title" className="font-semibold text-slate-900">
          Live activity
        </h2>
        <span
          role="status"
          className="flex items-center gap-1.5 text-xs text-slate-600"
          data-testid="admin-live"
        >
          <span
            className={`h-2 w-2 rounded-full ${status === 'live' ? 'bg-emerald-500' : 'bg-amber-500'}`}
            aria-hidden="true"
          />
          {status === 'live'
            ? 'Live'
            : status === 'connecting'
              ? 'Connecting…'
              : status === 'refused'
                ? 'The feed was refused'
                : 'Reconnecting…'}
        </span>
      </div>
      <div role="group" aria-label="Show kinds of activity" className="mt-3 flex flex-wrap gap-1.5">
        {ADMIN_EVENT_TYPES.map((type) => (
          <button
            key={type}
            type="button"
            aria-pressed={shown.has(type)}
            onClick={() => onToggle(type)}
            className={`rounded-full border px-2.5 py-1 text-xs font-medium ${
              shown.has(type)
                ? 'border-brand-700 bg-brand-700 text-white'
                : 'border-slate-300 bg-white text-slate-700 hover:bg-slate-50'
            }`}
          >
            {TYPE_LABELS[type]}
          </button>
        ))}
      </div>
      {visible.length ? (
        <ol className="mt-3 max-h-96 space-y-2 overflow-y-auto" aria-live="polite" data-testid="admin-feed">
          {visible.map((event) => (
            <EventLine key={event.id} event={event} />
          ))}
        </ol>
      ) : (
        <p className="mt-3 text-sm text-slate-600" aria-live="polite" data-testid="admin-feed-empty">
          Nothing to show yet. New activity appears here as it happens.
        </p>
      )}
    </section>
  );
}
