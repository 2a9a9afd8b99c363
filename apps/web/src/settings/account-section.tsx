'use client';
// Account: change the password (the current one is asked again; other sessions stay signed in).
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/button';
import { CheckedTextField } from './fields';
import { FormStatus } from './form-status';
import { changePassword } from './operations';
import { SettingsPanel } from './settings-panel';
import { errorFor, errorOutside, useFormAction } from './use-form-action';

const MIN_PASSWORD = 8;
const FIELDS = ['currentPassword', 'newPassword', 'repeatPassword'];

export function AccountSection({ address }: { address: string }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const action = useFormAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (next.length < MIN_PASSWORD) {
      return action.fail(`The new password needs at least ${MIN_PASSWORD} characters.`, 'newPassword');
    }
    if (next !== repeat) return action.fail('The two new passwords are not the same.', 'repeatPassword');
    const done = await action.run(
      () => changePassword(current, next),
      'Your password has been changed. Use the new one next time you sign in.',
    );
    if (done !== undefined) {
      setCurrent('');
      setNext('');
      setRepeat('');
    }
  };

  return (
    <SettingsPanel
      id="account"
      title="Account"
      description={
        <>
          You are signed in as <strong className="text-slate-900">{address}</strong>.
        </>
      }
    >
      <form
        onSubmit={(event) => void submit(event)}
        className="max-w-md space-y-4"
        aria-labelledby="password-title"
      >
        <h3 id="password-title" className="text-base font-semibold text-slate-900">
          Change password
        </h3>
        <FormStatus error={errorOutside(action.error, FIELDS)} notice={action.notice} />
        <CheckedTextField
          id="current-password"
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(event) => setCurrent(event.target.value)}
          error={errorFor(action.error, 'currentPassword')}
        />
        <CheckedTextField
          id="new-password"
          label="New password"
          hint={`At least ${MIN_PASSWORD} characters. Mail apps using app passwords keep working.`}
          type="password"
          autoComplete="new-password"
          required
          value={next}
          onChange={(event) => setNext(event.target.value)}
          error={errorFor(action.error, 'newPassword')}
        />
        <CheckedTextField
          id="repeat-password"
          label="New password again"
          type="password"
          autoComplete="new-password"
          required
          value={repeat}
          onChange={(event) => setRepeat(event.target.value)}
          error={errorFor(action.error, 'repeatPassword')}
        />
        <Button type="submit" variant="primary" disabled={action.pending}>
          {action.pending ? 'Changing…' : 'Change password'}
        </Button>
      </form>
    </SettingsPanel>
  );
}
