'use client';
// Setting up two-factor sign-in: the QR code (an SVG document from our API, shown as an image so
// none of it runs as markup in this page), the secret for typing, and a code to confirm.
import { Button } from '@/components/button';
import { CodeForm } from './code-form';
import { CopyButton } from './copy-button';
import { confirmTwoFactor, type TwoFactorSetup as Setup } from './operations';
import { useFormAction } from './use-form-action';

/** The secret in groups of four, easier to type. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

export function TwoFactorSetup({
  setup,
  onConfirmed,
  onCancel,
}: {
  setup: Setup;
  onConfirmed: (codes: string[]) => void;
  onCancel: () => void;
}) {
  const action = useFormAction();
  return (
    <div className="space-y-5 rounded-lg border border-slate-200 p-4" data-testid="two-factor-setup">
      <ol className="list-decimal space-y-4 pl-5 text-sm text-slate-800">
        <li>
          Scan this QR code with an authenticator app (Aegis, Google Authenticator, 1Password, …).
          <div className="mt-2">
            <img
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.qrCodeSvg)}`}
              alt="QR code of your two-factor secret for an authenticator app"
              width={200}
              height={200}
              className="h-[200px] w-[200px] rounded-md border border-slate-200 bg-white p-2"
              data-testid="two-factor-qr"
            />
          </div>
        </li>
        <li>
          Or type this key into the app (time-based, 6 digits, every 30 seconds):
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code
              className="rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm tracking-wider text-slate-900 select-all"
              data-testid="two-factor-secret"
              data-secret={setup.secret}
            >
              {grouped(setup.secret)}
            </code>
            <CopyButton text={setup.secret} label="Copy key" />
          </div>
        </li>
        <li>Enter the 6-digit code the app shows now.</li>
      </ol>
      <CodeForm
        id="confirm-two-factor"
        title="Confirm with a code"
        hint="The 6-digit code from your authenticator app."
        submitLabel="Turn on two-factor sign-in"
        pendingLabel="Checking…"
        action={action}
        onSubmit={async (code) => {
          const codes = await action.run(() => confirmTwoFactor(code));
          if (!codes) return false;
          onConfirmed(codes);
          return true;
        }}
      />
      <Button variant="quiet" onClick={onCancel}>
        Cancel set-up
      </Button>
    </div>
  );
}
