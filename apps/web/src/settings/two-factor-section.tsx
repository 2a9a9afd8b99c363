'use client';
// Two-factor sign-in: its status; set-up (QR code, key, confirmation code) that ends with the ten
// recovery codes; and, when on, turning it off or making new recovery codes, each with a code.
import { useCallback, useEffect, useState } from 'react';
import { Button } from '@/components/button';
import { describeError } from '@/client/graphql';
import { CodeForm } from './code-form';
import { FormStatus } from './form-status';
import {
  beginTwoFactorSetup,
  disableTwoFactor,
  fetchTwoFactor,
  regenerateRecoveryCodes,
  type TwoFactorSetup as Setup,
  type TwoFactorStatus,
} from './operations';
import { RecoveryCodesPanel } from './recovery-codes-panel';
import { SettingsPanel, StatusBadge } from './settings-panel';
import { TwoFactorSetup } from './two-factor-setup';
import { useFormAction } from './use-form-action';

const CODE_HINT = 'A code from your authenticator app, or one of your recovery codes.';

export function TwoFactorSection() {
  const [status, setStatus] = useState<TwoFactorStatus | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [setup, setSetup] = useState<Setup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const begin = useFormAction();
  const disable = useFormAction();
  const regenerate = useFormAction();

  const load = useCallback(() => {
    fetchTwoFactor()
      .then((fresh) => {
        setStatus(fresh);
        setLoadError(null);
      })
      .catch((error: unknown) => setLoadError(describeError(error)));
  }, []);
  useEffect(load, [load]);

  const start = async () => {
    setNotice(null);
    const fresh = await begin.run(beginTwoFactorSetup);
    if (fresh) setSetup(fresh);
  };

  return (
    <SettingsPanel
      id="two-factor"
      title="Two-factor sign-in"
      description="With two-factor sign-in on, signing in to this console asks for a code from an authenticator app on your phone as well as your password. Mail apps use app passwords instead."
      aside={
        status ? (
          <span data-testid="two-factor-status">
            <StatusBadge on={status.enabled}>{status.enabled ? 'On' : 'Off'}</StatusBadge>
          </span>
        ) : null
      }
    >
      <FormStatus error={loadError ?? begin.error?.message} notice={notice} />
      {codes ? (
        <RecoveryCodesPanel
          codes={codes}
          onDone={() => {
            setCodes(null);
            load();
          }}
        />
      ) : null}
      {!status ? (
        loadError ? null : (
          <p className="text-sm text-slate-600">Loading…</p>
        )
      ) : status.enabled ? (
        <>
          <p className="text-sm text-slate-800" data-testid="recovery-codes-left">
            Two-factor sign-in is on. You have {status.recoveryCodesLeft} unused recovery{' '}
            {status.recoveryCodesLeft === 1 ? 'code' : 'codes'}.
          </p>
          <div className="grid gap-8 lg:grid-cols-2">
            <CodeForm
              id="regenerate-codes"
              title="New recovery codes"
              hint="The 6-digit code from your authenticator app. The old recovery codes stop working."
              submitLabel="Make new recovery codes"
              pendingLabel="Making…"
              action={regenerate}
              onSubmit={async (code) => {
                const fresh = await regenerate.run(() => regenerateRecoveryCodes(code));
                if (!fresh) return false;
                setCodes(fresh);
                return true;
              }}
            />
            <CodeForm
              id="disable-two-factor"
              title="Turn off two-factor sign-in"
              hint={CODE_HINT}
              submitLabel="Turn off"
              pendingLabel="Turning off…"
              danger
              action={disable}
              onSubmit={async (code) => {
                const done = await disable.run(() => disableTwoFactor(code));
                if (done === undefined) return false;
                setNotice('Two-factor sign-in is off. Your password alone signs you in now.');
                setCodes(null);
                load();
                return true;
              }}
            />
          </div>
        </>
      ) : setup ? (
        <TwoFactorSetup
          setup={setup}
          onCancel={() => setSetup(null)}
          onConfirmed={(fresh) => {
            setSetup(null);
            setCodes(fresh);
            setNotice('Two-factor sign-in is on. Next time you sign in, have your authenticator at hand.');
            load();
          }}
        />
      ) : (
        <Button variant="primary" onClick={() => void start()} disabled={begin.pending}>
          {begin.pending ? 'Starting…' : 'Set up two-factor sign-in'}
        </Button>
      )}
    </SettingsPanel>
  );
}
