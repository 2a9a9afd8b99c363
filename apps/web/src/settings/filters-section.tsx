'use client';
// Filters: rules built with a form (when From/To/Cc/Subject contains or is …, move, mark read,
// flag, forward, discard; stop). Every change saves the whole list (setFilterRules) and shows the
// Sieve it makes.
import { useEffect, useState } from 'react';
import { Button } from '@/components/button';
import { describeError } from '@/client/graphql';
import { FilterErrorNotice } from './filter-error-notice';
import { FilterRuleEditor } from './filter-rule-editor';
import { FilterRuleList } from './filter-rule-list';
import { emptyRule, toInput, type RuleDraft } from './filter-rules';
import { FormStatus } from './form-status';
import { GeneratedSieve } from './generated-sieve';
import {
  fetchMailboxPaths,
  fetchMailSettings,
  saveFilterRules,
  type FilterRule,
  type MailSettings,
} from './operations';
import { SettingsPanel, SubHeading } from './settings-panel';
import { useFormAction } from './use-form-action';

/** Which rule the editor is open on: a new one, or the one at this position. */
type Editing = { index: number | null; draft: RuleDraft } | null;

export function FiltersSection() {
  const [rules, setRules] = useState<FilterRule[] | null>(null);
  const [sieve, setSieve] = useState('');
  const [lastError, setLastError] = useState<MailSettings['lastFilterError']>(null);
  const [mailboxes, setMailboxes] = useState<string[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const save = useFormAction();

  useEffect(() => {
    Promise.all([fetchMailSettings(), fetchMailboxPaths()])
      .then(([settings, paths]) => {
        setRules(settings.filterRules);
        setSieve(settings.generatedSieve);
        setLastError(settings.lastFilterError ?? null);
        setMailboxes(paths);
      })
      .catch((error: unknown) => setLoadError(describeError(error)));
  }, []);

  /**
   * Stores the whole list; answers true when the API took it. A change of stored rules only
   * (on/off, order, delete) shows at once and is undone when the API refuses it.
   */
  const store = async (next: RuleDraft[], success: string): Promise<boolean> => {
    const before = rules;
    const known = next.every((rule) => rule.id);
    if (known) setRules(next.map((rule) => ({ ...rule, id: rule.id!, stop: rule.stop ?? false })));
    const saved = await save.run(() => saveFilterRules(next), success);
    if (!saved) {
      if (known) setRules(before);
      return false;
    }
    setRules(saved.rules);
    setSieve(saved.generatedSieve);
    return true;
  };

  const current = (): RuleDraft[] => (rules ?? []).map(toInput);

  const saveDraft = async (draft: RuleDraft) => {
    if (!editing) return;
    const next = current();
    if (editing.index === null) next.push(draft);
    else next[editing.index] = draft;
    if (await store(next, `Rule “${draft.name}” saved.`)) setEditing(null);
  };

  const move = (index: number, by: -1 | 1) => {
    const next = current();
    const [rule] = next.splice(index, 1);
    next.splice(index + by, 0, rule!);
    void store(next, `Rule “${rule!.name}” moved ${by < 0 ? 'up' : 'down'}.`);
  };

  return (
    <SettingsPanel
      id="filters"
      title="Filters"
      description="Rules sort new mail as it arrives, top to bottom, before your active Sieve script runs."
    >
      <FormStatus error={loadError ?? (editing ? undefined : save.error?.message)} notice={save.notice} />
      <FilterErrorNotice error={lastError} />
      <div className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <SubHeading>Your rules</SubHeading>
          {editing ? null : (
            <Button
              variant="primary"
              size="compact"
              onClick={() => {
                save.clear();
                setEditing({ index: null, draft: emptyRule() });
              }}
              disabled={!rules}
            >
              New rule
            </Button>
          )}
        </div>
        {rules ? (
          <FilterRuleList
            rules={rules}
            pending={save.pending}
            onToggle={(index, enabled) => {
              const next = current();
              next[index] = { ...next[index]!, enabled };
              void store(next, `Rule “${next[index]!.name}” turned ${enabled ? 'on' : 'off'}.`);
            }}
            onMove={move}
            onEdit={(index) => {
              save.clear();
              setEditing({ index, draft: toInput(rules[index]!) });
            }}
            onDelete={(index) => {
              const next = current();
              const [removed] = next.splice(index, 1);
              void store(next, `Rule “${removed!.name}” deleted.`);
            }}
          />
        ) : loadError ? null : (
          <p className="text-sm text-slate-600">Loading…</p>
        )}
      </div>
      {editing ? (
        <FilterRuleEditor
          key={editing.index ?? 'new'}
          initial={editing.draft}
          mailboxes={mailboxes}
          pending={save.pending}
          error={save.error}
          onSave={(draft) => void saveDraft(draft)}
          onCancel={() => {
            save.clear();
            setEditing(null);
          }}
        />
      ) : null}
      {rules ? <GeneratedSieve sieve={sieve} /> : null}
    </SettingsPanel>
  );
}
