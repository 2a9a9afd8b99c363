'use client';
// The user's Sieve scripts (at most one active), to pick one for the editor.
import { formatBytes } from '@/shared/format';
import type { SieveScript } from './operations';

export function SieveScriptList({
  scripts,
  selected,
  onSelect,
}: {
  scripts: SieveScript[];
  selected: string | null;
  onSelect: (name: string) => void;
}) {
  if (!scripts.length) return <p className="text-sm text-slate-600">No scripts yet.</p>;
  return (
    <ul className="space-y-1" aria-label="Sieve scripts" data-testid="sieve-scripts">
      {scripts.map((script) => (
        <li key={script.name}>
          <button
            type="button"
            onClick={() => onSelect(script.name)}
            aria-current={script.name === selected ? 'true' : undefined}
            className={`flex w-full items-center justify-between gap-2 rounded-md px-3 py-2 text-left text-sm ${
              script.name === selected ? 'bg-brand-50 text-brand-800' : 'text-slate-800 hover:bg-slate-100'
            }`}
            data-testid="sieve-script"
            data-name={script.name}
          >
            <span className="min-w-0 truncate font-medium">{script.name}</span>
            <span className="flex shrink-0 items-center gap-2 text-xs text-slate-600">
              {script.active ? (
                <span className="rounded bg-emerald-100 px-1.5 py-0.5 font-semibold text-emerald-900">
                  active
                </span>
              ) : null}
              {formatBytes(script.size)}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
