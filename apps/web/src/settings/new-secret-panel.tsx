'use client';
// A secret shown once (an app password): large, selectable, with a copy button and a warning
// that it will not be shown again.
import type { ReactNode } from 'react';
import { Button } from '@/components/button';
import { CopyButton } from './copy-button';

export function NewSecretPanel({
  title,
  secret,
  children,
  onDone,
}: {
  title: string;
  secret: string;
  children: ReactNode;
  onDone: () => void;
}) {
  return (
    <div
      role="region"
      aria-labelledby="new-secret-title"
      className="space-y-3 rounded-lg border border-emerald-300 bg-emerald-50 p-4"
      data-testid="new-secret"
    >
      <h3 id="new-secret-title" className="font-semibold text-emerald-950">
        {title}
      </h3>
      <div className="text-sm text-emerald-950">{children}</div>
      <div className="flex flex-wrap items-center gap-2">
        <code
          className="rounded-md border border-emerald-300 bg-white px-3 py-2 font-mono text-base tracking-wide text-slate-900 select-all"
          data-testid="new-secret-value"
        >
          {secret}
        </code>
        <CopyButton text={secret} />
      </div>
      <Button variant="primary" onClick={onDone}>
        Done, I have copied it
      </Button>
    </div>
  );
}
