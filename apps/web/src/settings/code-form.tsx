'use client';
// One code from the authenticator (or a recovery code) to confirm an action: confirm set-up,
// disable two-factor, regenerate recovery codes.
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/button';
import { CheckedTextField } from './fields';
import { FormStatus } from './form-status';
import { errorFor, errorOutside, type FormAction } from './use-form-action';

export function CodeForm({
  id,
  title,
  hint,
  submitLabel,
  pendingLabel,
  danger = false,
  action,
  onSubmit,
}: {
  id: string;
  title: string;
  hint: string;
  submitLabel: string;
  pendingLabel: string;
  danger?: boolean;
  action: FormAction;
  /** Answers true when the code was taken (the field is then cleared). */
  onSubmit: (code: string) => Promise<boolean>;
}) {
  const [code, setCode] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = code.replace(/\s+/g, '');
    if (!trimmed) return action.fail('Enter the code.', 'code');
    if (await onSubmit(trimmed)) setCode('');
  };
  return (
    <form
      onSubmit={(event) => void submit(event)}
      className="max-w-md space-y-3"
      aria-labelledby={`${id}-title`}
    >
      <h3 id={`${id}-title`} className="text-base font-semibold text-slate-900">
        {title}
      </h3>
      <FormStatus error={errorOutside(action.error, ['code'])} notice={action.notice} />
      <CheckedTextField
        id={`${id}-code`}
        label="Code"
        hint={hint}
        inputMode="numeric"
        autoComplete="one-time-code"
        value={code}
        onChange={(event) => setCode(event.target.value)}
        error={errorFor(action.error, 'code')}
        className="font-mono tracking-widest"
      />
      <Button type="submit" variant={danger ? 'danger' : 'primary'} disabled={action.pending}>
        {action.pending ? pendingLabel : submitLabel}
      </Button>
    </form>
  );
}
