'use client';
// Copies a text to the clipboard and says so for a moment; when the clipboard is not allowed
// (plain HTTP on another host) it says to copy by hand.
import { useEffect, useState } from 'react';
import { Button } from '@/components/button';

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 3_000);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <Button
      variant="quiet"
      size="compact"
      className="border border-slate-300"
      onClick={() => {
        navigator.clipboard
          .writeText(text)
          .then(() => setState('copied'))
          .catch(() => setState('failed'));
      }}
    >
      <span aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy it by hand' : label}
      </span>
    </Button>
  );
}
