'use client';
// The search box's text and the search the list runs: they differ while the user types, as a
// search runs only when submitted.
import { useEffect, useState } from 'react';

export function useMailSearch() {
  const [input, setInput] = useState('');
  const [query, setQuery] = useState('');

  // Emptying the search box (its clear button, or deleting the text) ends the search.
  useEffect(() => {
    if (!input.trim() && query) setQuery('');
  }, [input, query]);

  return {
    /** The text in the search box. */
    input,
    setInput,
    /** The search the list shows ('' for none). */
    query,
    submit: () => setQuery(input.trim()),
    clear: () => {
      setQuery('');
      setInput('');
    },
  };
}

export type MailSearch = ReturnType<typeof useMailSearch>;
