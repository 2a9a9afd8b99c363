'use client';
// The ten recovery codes, shown once (after set-up or regeneration): to copy, download or print,
// each signing in once in place of a code from the authenticator.
import { Button } from '@/components/button';
import { CopyButton } from './copy-button';

export function RecoveryCodesPanel({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const text = `${codes.join('\n')}\n`;
  return (
    <div
      role="region"
      aria-labelledby="recovery-codes-title"
      className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4"
      data-testid="recovery-codes"
    >
      <h3 id="recovery-codes-title" className="font-semibold text-amber-950">
        Your recovery codes
      </h3>
      <p className="text-sm text-amber-950">
        Keep these somewhere safe, away from your phone. Each one signs you in once when you do not have your
        authenticator. They are shown only now; the old ones, if any, no longer work.
      </p>
      <ol className="grid grid-cols-2 gap-x-6 gap-y-1 font-mono text-base text-slate-900 sm:grid-cols-5">
        {codes.map((code) => (
          <li key={code} data-testid="recovery-code" className="select-all">
            {code}
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap items-center gap-2">
        <CopyButton text={text} label="Copy codes" />
        <a
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
          download="recovery-codes.txt"
          className="rounded-md border border-slate-300 px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100"
        >
          Download
        </a>
        <Button variant="primary" onClick={onDone}>
          Done, I have saved them
        </Button>
      </div>
    </div>
  );
}
