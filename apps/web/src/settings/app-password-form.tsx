'use client';
// Creating an app password: a name for the client and what it may be used for.
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/button';
import { labelClass } from '@/components/form-field';
import { CheckboxField, CheckedTextField, FieldError } from './fields';
import { FormStatus } from './form-status';
import { createAppPassword, type AppPassword, type AppPasswordScope } from './operations';
import { errorFor, errorOutside, useFormAction } from './use-form-action';

export const SCOPES: { scope: AppPasswordScope; label: string; hint: string }[] = [
  { scope: 'imap', label: 'IMAP', hint: 'reading mail in a mail app' },
  { scope: 'smtp', label: 'SMTP', hint: 'sending mail from a mail app' },
  { scope: 'managesieve', label: 'ManageSieve', hint: 'editing filters from a Sieve client' },
  { scope: 'api', label: 'API', hint: 'signing in to the API without a second factor' },
];

export function AppPasswordForm({
  onCreated,
}: {
  onCreated: (created: { password: string; appPassword: AppPassword }) => void;
}) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<AppPasswordScope[]>(['imap', 'smtp']);
  const action = useFormAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return action.fail('Give the app password a name, such as the app it is for.', 'name');
    if (!scopes.length) return action.fail('Choose at least one use.', 'scopes');
    const created = await action.run(() => createAppPassword(name.trim(), scopes));
    if (created) {
      setName('');
      onCreated(created);
    }
  };

  const toggle = (scope: AppPasswordScope, on: boolean) =>
    setScopes((current) =>
      on
        ? SCOPES.map((s) => s.scope).filter((s) => s === scope || current.includes(s))
        : current.filter((s) => s !== scope),
    );

  return (
    <form
      onSubmit={(event) => void submit(event)}
      className="max-w-xl space-y-4"
      aria-labelledby="new-app-password-title"
    >
      <h3 id="new-app-password-title" className="text-base font-semibold text-slate-900">
        New app password
      </h3>
      <FormStatus error={errorOutside(action.error, ['name', 'scopes'])} />
      <CheckedTextField
        id="app-password-name"
        label="Name"
        hint="Which app or device it is for, e.g. “Thunderbird on my laptop”."
        value={name}
        maxLength={100}
        onChange={(event) => setName(event.target.value)}
        error={errorFor(action.error, 'name')}
      />
      <fieldset aria-describedby={errorFor(action.error, 'scopes') ? 'app-password-scopes-error' : undefined}>
        <legend className={labelClass}>May be used for</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          {SCOPES.map((item) => (
            <CheckboxField
              key={item.scope}
              id={`scope-${item.scope}`}
              label={item.label}
              hint={item.hint}
              checked={scopes.includes(item.scope)}
              onChange={(event) => toggle(item.scope, event.target.checked)}
            />
          ))}
        </div>
        <FieldError id="app-password-scopes" message={errorFor(action.error, 'scopes')} />
      </fieldset>
      <Button type="submit" variant="primary" disabled={action.pending}>
        {action.pending ? 'Creating…' : 'Create app password'}
      </Button>
    </form>
  );
}
