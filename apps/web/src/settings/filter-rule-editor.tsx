'use client';
// The form for one filter rule: name, "when <field> <contains|is> <value>", the actions, and
// whether to stop there. Saving hands the draft up; the list saves every rule at once.
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/button';
import { labelClass, SelectField } from '@/components/form-field';
import { CheckboxField, CheckedTextField, FieldError } from './fields';
import { FilterActionRow } from './filter-action-row';
import { checkRule, FIELD_LABELS, MATCH_LABELS, type RuleDraft } from './filter-rules';
import { FormStatus } from './form-status';
import type { FilterField, FilterMatch } from './operations';
import type { ActionError } from './use-form-action';

const FIELDS = ['name', 'field', 'match', 'value', 'actions', 'mailbox', 'address'];

export function FilterRuleEditor({
  initial,
  mailboxes,
  pending,
  error,
  onSave,
  onCancel,
}: {
  initial: RuleDraft;
  mailboxes: string[];
  pending: boolean;
  /** The API's answer to the last save, its field shortened to the rule's own ("value"). */
  error: ActionError | null;
  onSave: (rule: RuleDraft) => void;
  onCancel: () => void;
}) {
  const [rule, setRule] = useState<RuleDraft>(initial);
  const [mistake, setMistake] = useState<ActionError | null>(null);
  const shown = mistake ?? error;
  const at = (field: string) => (shown?.field === field ? shown.message : undefined);
  const set = (changes: Partial<RuleDraft>) => {
    // a mistake found here is about the draft as it was; a change is a new try
    setMistake(null);
    setRule((current) => ({ ...current, ...changes }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = checkRule(rule);
    if (problem) return setMistake({ message: problem[0], field: problem[1] });
    setMistake(null);
    onSave({ ...rule, name: rule.name.trim(), value: rule.value.trim() });
  };

  return (
    <form
      onSubmit={submit}
      className="space-y-4 rounded-lg border border-brand-200 bg-brand-50/40 p-4"
      aria-labelledby="rule-editor-title"
      data-testid="rule-editor"
    >
      <h3 id="rule-editor-title" className="text-base font-semibold text-slate-900">
        {initial.id ? `Edit rule “${initial.name}”` : 'New rule'}
      </h3>
      <FormStatus error={shown && !FIELDS.includes(shown.field ?? '') ? shown.message : undefined} />
      <CheckedTextField
        id="rule-name"
        label="Name"
        value={rule.name}
        maxLength={100}
        onChange={(event) => set({ name: event.target.value })}
        error={at('name')}
      />
      <fieldset>
        <legend className={labelClass}>When a message arrives whose</legend>
        <div className="mt-1 grid gap-3 sm:grid-cols-[10rem_9rem_1fr]">
          <SelectField
            id="rule-field"
            label={<span className="sr-only">Field</span>}
            value={rule.field}
            onChange={(event) => set({ field: event.target.value as FilterField })}
          >
            {(Object.keys(FIELD_LABELS) as FilterField[]).map((field) => (
              <option key={field} value={field}>
                {FIELD_LABELS[field]}
              </option>
            ))}
          </SelectField>
          <SelectField
            id="rule-match"
            label={<span className="sr-only">Match</span>}
            value={rule.match}
            onChange={(event) => set({ match: event.target.value as FilterMatch })}
          >
            {(Object.keys(MATCH_LABELS) as FilterMatch[]).map((match) => (
              <option key={match} value={match}>
                {MATCH_LABELS[match]}
              </option>
            ))}
          </SelectField>
          <CheckedTextField
            id="rule-value"
            label={<span className="sr-only">Value</span>}
            value={rule.value}
            placeholder="e.g. newsletter@shop.example"
            onChange={(event) => set({ value: event.target.value })}
            error={at('value')}
          />
        </div>
      </fieldset>
      <fieldset>
        <legend className={labelClass}>Then</legend>
        <ol className="mt-2 space-y-2">
          {rule.actions.map((action, index) => (
            <FilterActionRow
              key={index}
              index={index}
              action={action}
              mailboxes={mailboxes}
              onChange={(changed) =>
                set({
                  actions: rule.actions.map((other, position) => (position === index ? changed : other)),
                })
              }
              onRemove={() => set({ actions: rule.actions.filter((_, position) => position !== index) })}
            />
          ))}
        </ol>
        <FieldError id="rule-actions" message={at('actions') ?? at('mailbox') ?? at('address')} />
        <Button
          variant="quiet"
          size="compact"
          className="mt-2 border border-slate-300"
          onClick={() =>
            set({ actions: [...rule.actions, { type: 'markRead', mailbox: null, address: null }] })
          }
        >
          Add action
        </Button>
      </fieldset>
      <CheckboxField
        id="rule-stop"
        label="Stop here"
        hint="When this rule matches, no later rule and no Sieve script runs."
        checked={rule.stop ?? false}
        onChange={(event) => set({ stop: event.target.checked })}
      />
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? 'Saving…' : 'Save rule'}
        </Button>
        <Button variant="quiet" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
