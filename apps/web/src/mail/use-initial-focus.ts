'use client';
// The field a dialog starts in. Modal's showModal() runs after its children mount and moves the
// focus to the dialog's first control (its Close button), so React's autoFocus is undone: this
// puts the focus in the field once the dialog is open, so typing goes where the user expects.
import { useEffect, useRef } from 'react';

export function useInitialFocus<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    const timer = setTimeout(() => ref.current?.focus(), 0);
    return () => clearTimeout(timer);
  }, []);
  return ref;
}
