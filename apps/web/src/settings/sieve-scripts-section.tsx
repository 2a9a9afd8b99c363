'use client';
// Sieve scripts, as a ManageSieve client sees them: list, write (checked before saving, each
// problem shown at its line), activate or deactivate, rename and delete.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Button } from '@/components/button';
import { describeError, GraphQLRequestError } from '@/client/graphql';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { CheckedTextField } from './fields';
import { FormStatus } from './form-status';
import {
  activateSieveScript,
  checkSieve,
  deleteSieveScript,
  fetchSieveScripts,
  putSieveScript,
  renameSieveScript,
  type SieveProblem,
  type SieveScript,
} from './operations';
import { goToPosition, SieveEditor } from './sieve-editor';
import { SieveProblems } from './sieve-problems';
import { SieveScriptList } from './sieve-script-list';
import { SettingsPanel, SubHeading } from './settings-panel';
import { errorFor, useFormAction } from './use-form-action';

const STARTER = `require ["fileinto"];\n\n# Example: file mail from a list into a folder\nif header :contains "list-id" "announce" {\n  fileinto "Archive";\n}\n`;

/** The Sieve problems an API error carries (putSieveScript's BAD_USER_INPUT), if any. */
function problemsOf(error: unknown): SieveProblem[] {
  if (!(error instanceof GraphQLRequestError)) return [];
  const problems = error.extensions.problems;
  return Array.isArray(problems) ? (problems as SieveProblem[]) : [];
}

export function SieveScriptsSection() {
  const [scripts, setScripts] = useState<SieveScript[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  /** The script in the editor: its stored name, or null for a new one. */
  const [selected, setSelected] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [content, setContent] = useState(STARTER);
  const [problems, setProblems] = useState<SieveProblem[]>([]);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const action = useFormAction();
  const editor = useRef<HTMLTextAreaElement>(null);

  const load = useCallback(async () => {
    try {
      const list = await fetchSieveScripts();
      setScripts(list);
      setLoadError(null);
      return list;
    } catch (error) {
      setLoadError(describeError(error));
      return null;
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const open = (script: SieveScript | null) => {
    action.clear();
    setProblems([]);
    setRenaming(null);
    setSelected(script?.name ?? null);
    setName(script?.name ?? '');
    setContent(script?.content ?? STARTER);
  };

  const stored = scripts?.find((script) => script.name === selected) ?? null;

  const check = async () => {
    const result = await action.run(
      () => checkSieve(content),
      (outcome) => (outcome.ok ? 'No mistakes found.' : ''),
    );
    if (result) setProblems(result.problems);
  };

  const save = async (activate?: boolean) => {
    const scriptName = (selected ?? name).trim();
    if (!scriptName) return action.fail('Give the script a name.', 'name');
    const saved = await action.run(
      () => putSieveScript(scriptName, content, activate),
      activate ? `“${scriptName}” saved and active.` : `“${scriptName}” saved.`,
    );
    // a refused save's problems arrive with action.error (the effect below)
    if (!saved) return;
    setProblems([]);
    await load();
    setSelected(saved.name);
    setName(saved.name);
  };

  // action.error is set after run() resolves; pick up the problems of a refused save from it
  useEffect(() => {
    const fromError = problemsOf(action.error?.cause);
    if (fromError.length) setProblems(fromError);
  }, [action.error]);

  const setActive = async (active: boolean) => {
    if (!stored) return;
    const done = await action.run(
      () => activateSieveScript(active ? stored.name : null),
      active ? `“${stored.name}” is the active script.` : 'No script is active now.',
    );
    if (done !== undefined) await load();
  };

  const rename = async (event: FormEvent) => {
    event.preventDefault();
    if (!stored || renaming === null) return;
    if (!renaming.trim()) return action.fail('Give the script a new name.', 'newName');
    const renamed = await action.run(
      () => renameSieveScript(stored.name, renaming.trim()),
      'Script renamed.',
    );
    if (!renamed) return;
    setRenaming(null);
    await load();
    setSelected(renamed.name);
    setName(renamed.name);
  };

  const remove = async () => {
    if (!stored) return;
    const done = await action.run(() => deleteSieveScript(stored.name), `“${stored.name}” deleted.`);
    setDeleting(false);
    if (done === undefined) return;
    await load();
    setSelected(null);
    setName('');
    setContent(STARTER);
    setProblems([]);
  };

  const problemsId = 'sieve-problems';
  const generalError =
    action.error &&
    !problemsOf(action.error.cause).length &&
    !['name', 'newName'].includes(action.error.field ?? '')
      ? action.error.message
      : undefined;

  return (
    <SettingsPanel
      id="sieve"
      title="Sieve scripts"
      description="For filters the rule form cannot make: write Sieve (RFC 5228) by hand. At most one script is active; it runs after your rules. Sieve clients (ManageSieve) see the same scripts."
    >
      {loadError ? <FormStatus error={loadError} /> : null}
      <div className="grid gap-6 lg:grid-cols-[14rem_1fr]">
        <div className="space-y-3">
          <div className="flex items-center justify-between">
            <SubHeading>Scripts</SubHeading>
            <Button
              variant="quiet"
              size="compact"
              className="border border-slate-300"
              onClick={() => open(null)}
            >
              New script
            </Button>
          </div>
          {scripts ? (
            <SieveScriptList
              scripts={scripts}
              selected={selected}
              onSelect={(scriptName) => open(scripts.find((script) => script.name === scriptName) ?? null)}
            />
          ) : null}
        </div>
        <div className="min-w-0 space-y-3" data-testid="sieve-workspace">
          <FormStatus error={generalError} notice={action.notice || null} />
          {stored ? (
            <div className="flex flex-wrap items-center gap-2">
              <h3 className="mr-auto text-base font-semibold text-slate-900" data-testid="sieve-script-title">
                {stored.name}{' '}
                {stored.active ? (
                  <span className="ml-1 rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-semibold text-emerald-900">
                    active
                  </span>
                ) : null}
              </h3>
              <Button
                variant="quiet"
                size="compact"
                className="border border-slate-300"
                disabled={action.pending}
                onClick={() => void setActive(!stored.active)}
              >
                {stored.active ? 'Deactivate' : 'Activate'}
              </Button>
              <Button
                variant="quiet"
                size="compact"
                className="border border-slate-300"
                onClick={() => setRenaming(renaming === null ? stored.name : null)}
                aria-expanded={renaming !== null}
              >
                Rename
              </Button>
              <Button
                variant="quiet"
                size="compact"
                className="border border-slate-300 text-red-700 hover:bg-red-50"
                onClick={() => setDeleting(true)}
              >
                Delete
              </Button>
            </div>
          ) : (
            <CheckedTextField
              id="sieve-name"
              label="Script name"
              value={name}
              maxLength={128}
              onChange={(event) => setName(event.target.value)}
              error={errorFor(action.error, 'name')}
            />
          )}
          {stored && renaming !== null ? (
            <form onSubmit={(event) => void rename(event)} className="flex flex-wrap items-end gap-2">
              <div className="min-w-56 flex-1">
                <CheckedTextField
                  id="sieve-new-name"
                  label="New name"
                  value={renaming}
                  maxLength={128}
                  onChange={(event) => setRenaming(event.target.value)}
                  error={errorFor(action.error, 'newName')}
                  autoFocus
                />
              </div>
              <Button type="submit" variant="primary" disabled={action.pending}>
                Rename
              </Button>
            </form>
          ) : null}
          <SieveEditor
            ref={editor}
            id="sieve-content"
            label={`Sieve script${stored ? ` ${stored.name}` : ''}`}
            value={content}
            problems={problems}
            describedBy={problems.length ? problemsId : undefined}
            onChange={(value) => {
              setContent(value);
            }}
          />
          <SieveProblems
            id={problemsId}
            problems={problems}
            onGoTo={(problem) => editor.current && goToPosition(editor.current, problem.line, problem.column)}
          />
          <div className="flex flex-wrap gap-2">
            <Button
              variant="quiet"
              className="border border-slate-300"
              disabled={action.pending}
              onClick={() => void check()}
            >
              Check
            </Button>
            <Button variant="primary" disabled={action.pending} onClick={() => void save()}>
              {action.pending ? 'Saving…' : 'Save'}
            </Button>
            {stored?.active ? null : (
              <Button variant="primary" disabled={action.pending} onClick={() => void save(true)}>
                Save and activate
              </Button>
            )}
          </div>
        </div>
      </div>
      {deleting && stored ? (
        <ConfirmDialog
          title="Delete Sieve script"
          confirmLabel="Delete"
          pendingLabel="Deleting…"
          pending={action.pending}
          onConfirm={() => void remove()}
          onClose={() => setDeleting(false)}
        >
          Delete the script <strong>{stored.name}</strong>
          {stored.active ? ', which is active? Mail will no longer be sorted by it' : '?'}. This cannot be
          undone.
        </ConfirmDialog>
      ) : null}
    </SettingsPanel>
  );
}
