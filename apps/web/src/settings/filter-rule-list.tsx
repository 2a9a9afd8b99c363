'use client';
// The rules in the order they run: a summary of each, on/off, move up/down, edit and delete.
import { describeRule } from './filter-rules';
import type { FilterRule } from './operations';

const smallButton =
  'rounded-md px-2 py-1 text-sm font-medium text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:text-slate-300 disabled:hover:bg-transparent';

export function FilterRuleList({
  rules,
  pending,
  onToggle,
  onMove,
  onEdit,
  onDelete,
}: {
  rules: FilterRule[];
  pending: boolean;
  onToggle: (index: number, enabled: boolean) => void;
  onMove: (index: number, by: -1 | 1) => void;
  onEdit: (index: number) => void;
  onDelete: (index: number) => void;
}) {
  if (!rules.length) return <p className="text-sm text-slate-600">You have no filter rules yet.</p>;
  return (
    <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200" data-testid="filter-rules">
      {rules.map((rule, index) => (
        <li
          key={rule.id}
          className="flex flex-wrap items-center gap-3 px-3 py-2.5"
          data-testid="filter-rule"
          data-name={rule.name}
        >
          <input
            id={`rule-enabled-${rule.id}`}
            type="checkbox"
            checked={rule.enabled}
            disabled={pending}
            onChange={(event) => onToggle(index, event.target.checked)}
            className="h-4 w-4"
            aria-label={`${rule.name} is on`}
          />
          <div className={`min-w-0 flex-1 ${rule.enabled ? '' : 'opacity-60'}`}>
            <span className="block font-medium text-slate-900">{rule.name}</span>
            <span className="block text-sm [overflow-wrap:anywhere] text-slate-600">
              {describeRule(rule)}
            </span>
          </div>
          <div className="flex items-center gap-1">
            <button
              type="button"
              className={smallButton}
              disabled={pending || index === 0}
              onClick={() => onMove(index, -1)}
              aria-label={`Move ${rule.name} up`}
            >
              ↑
            </button>
            <button
              type="button"
              className={smallButton}
              disabled={pending || index === rules.length - 1}
              onClick={() => onMove(index, 1)}
              aria-label={`Move ${rule.name} down`}
            >
              ↓
            </button>
            <button
              type="button"
              className={`${smallButton} text-brand-700`}
              disabled={pending}
              onClick={() => onEdit(index)}
              aria-label={`Edit ${rule.name}`}
            >
              Edit
            </button>
            <button
              type="button"
              className={`${smallButton} text-red-700 hover:bg-red-50`}
              disabled={pending}
              onClick={() => onDelete(index)}
              aria-label={`Delete ${rule.name}`}
            >
              Delete
            </button>
          </div>
        </li>
      ))}
    </ol>
  );
}
