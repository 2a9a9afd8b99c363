// The frame of one settings section: a titled card, its explanation, and its forms.
import type { ReactNode } from 'react';

export function SettingsPanel({
  id,
  title,
  description,
  children,
  aside,
}: {
  id: string;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  /** Something at the right of the title (a status badge). */
  aside?: ReactNode;
}) {
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="rounded-xl border border-slate-200 bg-white shadow-sm"
      data-testid={`settings-${id}`}
    >
      <div className="flex flex-wrap items-start justify-between gap-2 border-b border-slate-200 px-5 py-4">
        <div>
          <h2 id={`${id}-title`} className="text-lg font-semibold text-slate-900">
            {title}
          </h2>
          {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
        </div>
        {aside}
      </div>
      <div className="space-y-6 px-5 py-5">{children}</div>
    </section>
  );
}

/** A heading inside a panel, for its second and later forms. */
export function SubHeading({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <h3 id={id} className="text-base font-semibold text-slate-900">
      {children}
    </h3>
  );
}

/** A small coloured label: on/off, active, … */
export function StatusBadge({ on, children }: { on: boolean; children: ReactNode }) {
  return (
    <span
      className={`rounded px-2 py-0.5 text-xs font-semibold ${on ? 'bg-emerald-100 text-emerald-900' : 'bg-slate-200 text-slate-800'}`}
    >
      {children}
    </span>
  );
}
