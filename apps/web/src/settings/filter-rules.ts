// Filter rules as the form edits them: labels for fields and actions, a one-line summary of a
// rule, the empty rule, and the checks made before asking the API.
import type { FilterActionType, FilterField, FilterMatch, FilterRule, FilterRuleInput } from './operations';

export const FIELD_LABELS: Record<FilterField, string> = {
  from: 'From',
  to: 'To',
  cc: 'Cc',
  subject: 'Subject',
};
export const MATCH_LABELS: Record<FilterMatch, string> = { contains: 'contains', is: 'is' };
export const ACTION_LABELS: Record<FilterActionType, string> = {
  move: 'Move to folder',
  markRead: 'Mark as read',
  flag: 'Flag',
  forward: 'Forward to',
  discard: 'Discard',
};

export type RuleDraft = FilterRuleInput & { actions: NonNullable<FilterRuleInput['actions']> };

export function emptyRule(): RuleDraft {
  return {
    name: '',
    enabled: true,
    field: 'from',
    match: 'contains',
    value: '',
    actions: [{ type: 'move', mailbox: 'Archive', address: null }],
    stop: false,
  };
}

/** A stored rule as the input that keeps it (same id). */
export function toInput(rule: FilterRule | RuleDraft): RuleDraft {
  return {
    id: rule.id ?? null,
    name: rule.name,
    enabled: rule.enabled,
    field: rule.field,
    match: rule.match,
    value: rule.value,
    actions: rule.actions.map((action) => ({
      type: action.type,
      mailbox: action.type === 'move' ? (action.mailbox ?? null) : null,
      address: action.type === 'forward' ? (action.address ?? null) : null,
    })),
    stop: rule.stop ?? false,
  };
}

/** "From contains “shop” → move to Archive, mark as read; stop". */
export function describeRule(rule: FilterRule | RuleDraft): string {
  const actions = rule.actions
    .map((action) => {
      if (action.type === 'move') return `move to ${action.mailbox ?? '?'}`;
      if (action.type === 'forward') return `forward to ${action.address ?? '?'}`;
      return ACTION_LABELS[action.type].toLowerCase();
    })
    .join(', ');
  return `${FIELD_LABELS[rule.field]} ${MATCH_LABELS[rule.match]} “${rule.value}” → ${actions || 'nothing'}${rule.stop ? '; stop' : ''}`;
}

/** The first mistake in a draft as [message, field], or null when the API may have it. */
export function checkRule(rule: RuleDraft): [string, string] | null {
  if (!rule.name.trim()) return ['Give the rule a name.', 'name'];
  if (!rule.value.trim()) return ['Say what the field should contain.', 'value'];
  if (!rule.actions.length) return ['Add at least one action.', 'actions'];
  for (const action of rule.actions) {
    if (action.type === 'move' && !action.mailbox?.trim())
      return ['Choose the folder to move to.', 'mailbox'];
    if (action.type === 'forward' && !action.address?.trim())
      return ['Enter the address to forward to.', 'address'];
  }
  return null;
}
