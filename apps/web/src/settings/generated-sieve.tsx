// The Sieve the rules, vacation and forwarding run as: read-only, for the curious.
export function GeneratedSieve({ sieve }: { sieve: string }) {
  return (
    <details className="rounded-lg border border-slate-200" open>
      <summary className="cursor-pointer px-3 py-2 text-sm font-semibold text-slate-800">
        The Sieve your rules run as (read-only)
      </summary>
      <pre
        className="max-h-80 overflow-auto border-t border-slate-200 bg-slate-50 px-3 py-2 font-mono text-xs leading-5 text-slate-800"
        data-testid="generated-sieve"
        tabIndex={0}
        aria-label="Generated Sieve"
      >
        {sieve || '# no rules, vacation or forwarding: nothing runs'}
      </pre>
    </details>
  );
}
