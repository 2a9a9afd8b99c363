'use client';
// One action of a filter rule: what to do, and the folder or address it needs.
import { ACTION_LABELS } from './filter-rules';
import type { FilterActionType } from './operations';
import type { RuleDraft } from './filter-rules';

type Action = RuleDraft['actions'][number];

const selectClass =
  'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-200';

export function FilterActionRow({
  index,
  action,
  mailboxes,
  onChange,
  onRemove,
}: {
  index: number;
  action: Action;
  mailboxes: string[];
  onChange: (action: Action) => void;
  onRemove: () => void;
}) {
  const id = `rule-action-${index}`;
  // keep a folder the rule names even when it is not (yet) a mailbox of the user
  const folders =
    action.mailbox && !mailboxes.includes(action.mailbox) ? [...mailboxes, action.mailbox] : mailboxes;
  return (
    <li className="flex flex-wrap items-center gap-2" data-testid="rule-action">
      <label htmlFor={`${id}-type`} className="sr-only">
        Action {index + 1}
      </label>
      <select
        id={`${id}-type`}
        value={action.type}
        onChange={(event) => {
          const type = event.target.value as FilterActionType;
          onChange({
            type,
            mailbox: type === 'move' ? (action.mailbox ?? folders[0] ?? 'INBOX') : null,
            address: type === 'forward' ? (action.address ?? '') : null,
          });
        }}
        className={selectClass}
      >
        {(Object.keys(ACTION_LABELS) as FilterActionType[]).map((type) => (
          <option key={type} value={type}>
            {ACTION_LABELS[type]}
          </option>
        ))}
      </select>
      {action.type === 'move' ? (
        <>
          <label htmlFor={`${id}-mailbox`} className="sr-only">
            Folder for action {index + 1}
          </label>
          <select
            id={`${id}-mailbox`}
            value={action.mailbox ?? ''}
            onChange={(event) => onChange({ ...action, mailbox: event.target.value })}
            className={selectClass}
          >
            {folders.map((path) => (
              <option key={path} value={path}>
                {path}
              </option>
            ))}
          </select>
        </>
      ) : null}
      {action.type === 'forward' ? (
        <>
          <label htmlFor={`${id}-address`} className="sr-only">
            Address for action {index + 1}
          </label>
          <input
            id={`${id}-address`}
            type="email"
            value={action.address ?? ''}
            placeholder="someone@example.com"
            onChange={(event) => onChange({ ...action, address: event.target.value })}
            className={`${selectClass} min-w-56`}
          />
        </>
      ) : null}
      <button
        type="button"
        onClick={onRemove}
        className="rounded-md px-2 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50"
        aria-label={`Remove action ${index + 1}`}
      >
        Remove
      </button>
    </li>
  );
}
