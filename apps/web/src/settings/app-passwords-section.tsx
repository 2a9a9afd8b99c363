'use client';
// App passwords: a password per mail app (IMAP, SMTP, ManageSieve, API), each revocable alone;
// the secret is shown once, when it is made.
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '@/client/graphql';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { AppPasswordForm } from './app-password-form';
import { AppPasswordsTable } from './app-passwords-table';
import { FormStatus } from './form-status';
import { NewSecretPanel } from './new-secret-panel';
import { fetchAppPasswords, revokeAppPassword, type AppPassword } from './operations';
import { SettingsPanel, SubHeading } from './settings-panel';
import { useFormAction } from './use-form-action';

export function AppPasswordsSection() {
  const [list, setList] = useState<AppPassword[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ password: string; appPassword: AppPassword } | null>(null);
  const [revoking, setRevoking] = useState<AppPassword | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const revoke = useFormAction();

  const load = useCallback(() => {
    fetchAppPasswords()
      .then((items) => {
        setList(items);
        setLoadError(null);
      })
      .catch((error: unknown) => setLoadError(describeError(error)));
  }, []);
  useEffect(load, [load]);

  const confirmRevoke = async () => {
    if (!revoking) return;
    const done = await revoke.run(() => revokeAppPassword(revoking.id));
    if (done === undefined) return;
    setNotice(`“${revoking.name}” was revoked; apps using it are signed out.`);
    setRevoking(null);
    load();
  };

  return (
    <SettingsPanel
      id="app-passwords"
      title="App passwords"
      description="Mail apps (Thunderbird, a phone’s mail app) sign in with an app password of their own instead of your password, and keep working when two-factor sign-in is on. Revoke one and only that app is signed out."
    >
      <FormStatus error={loadError ?? undefined} notice={notice} />
      {created ? (
        <NewSecretPanel
          title={`App password for “${created.appPassword.name}”`}
          secret={created.password}
          onDone={() => setCreated(null)}
        >
          Enter it in the app as the password, with your email address as the user name. It is shown only now.
        </NewSecretPanel>
      ) : null}
      <div className="space-y-3">
        <SubHeading>Your app passwords</SubHeading>
        {list ? (
          <AppPasswordsTable appPasswords={list} onRevoke={(item) => setRevoking(item)} />
        ) : loadError ? null : (
          <p className="text-sm text-slate-600">Loading…</p>
        )}
      </div>
      <AppPasswordForm
        onCreated={(result) => {
          setNotice(null);
          setCreated(result);
          load();
        }}
      />
      {revoking ? (
        <ConfirmDialog
          title="Revoke app password"
          confirmLabel="Revoke"
          pendingLabel="Revoking…"
          pending={revoke.pending}
          error={revoke.error?.message}
          onConfirm={() => void confirmRevoke()}
          onClose={() => {
            revoke.clear();
            setRevoking(null);
          }}
        >
          Revoke <strong>{revoking.name}</strong>? Apps using it can no longer sign in. This cannot be undone.
        </ConfirmDialog>
      ) : null}
    </SettingsPanel>
  );
}
