// A bordered panel for honest status messages: what is here, what is not yet, what to do.
import type { ReactNode } from 'react';

export function NoticePanel({
  title,
  children,
  tone = 'info',
}: {
  title: string;
  children: ReactNode;
  tone?: 'info' | 'warning';
}) {
  const accent = tone === 'warning' ? 'border-amber-300 bg-amber-50' : 'border-slate-200 bg-white';
  return (
    <section aria-labelledby="notice-title" className={`rounded-xl border ${accent} p-8 shadow-sm`}>
      <h1 id="notice-title" className="text-2xl font-semibold tracking-tight text-slate-900">
        {title}
      </h1>
      <div className="mt-4 space-y-3 text-slate-700">{children}</div>
    </section>
  );
}
