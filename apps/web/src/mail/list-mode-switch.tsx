'use client';
// "Conversations / Messages": what the message list shows, as two pressed-or-not buttons.
import type { ListMode } from './list-mode';

const MODES: { mode: ListMode; label: string }[] = [
  { mode: 'conversations', label: 'Conversations' },
  { mode: 'messages', label: 'Messages' },
];

export function ListModeSwitch({ mode, onChange }: { mode: ListMode; onChange: (mode: ListMode) => void }) {
  return (
    <div
      role="group"
      aria-label="Show the list as"
      className="flex shrink-0 rounded-md border border-slate-300 p-0.5 text-xs"
      data-testid="list-mode-switch"
    >
      {MODES.map((option) => (
        <button
          key={option.mode}
          type="button"
          aria-pressed={mode === option.mode}
          onClick={() => onChange(option.mode)}
          className={`rounded px-2 py-0.5 font-medium ${
            mode === option.mode ? 'bg-brand-700 text-white' : 'text-slate-700 hover:bg-slate-100'
          }`}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}
