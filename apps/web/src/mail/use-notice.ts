'use client';
// The webmail's one-line notices ("Moved to Archive.", "Not deleted: …"): one at a time, a newer
// one replacing the last, each gone after a few seconds so none needs dismissing.
import { useCallback, useEffect, useState } from 'react';

export type NoticeTone = 'info' | 'error';

export interface Notice {
  text: string;
  tone: NoticeTone;
  /** Tells two notices with the same text apart, so the second restarts the timer and the toast. */
  id: number;
}

/** Shows a notice. */
export type Say = (text: string, tone?: NoticeTone) => void;

const NOTICE_MS = 5_000;

export function useNotice(): { notice: Notice | null; say: Say } {
  const [notice, setNotice] = useState<Notice | null>(null);
  const say = useCallback<Say>((text, tone = 'info') => {
    setNotice({ text, tone, id: Date.now() });
  }, []);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);
  return { notice, say };
}
