'use client';
// A recipients field (To, Cc, Bcc) that suggests addresses the user has written to: an ARIA
// combobox whose list follows the address being typed (the text after the last comma). Arrow keys
// move through the list, Enter or a click takes one, Escape closes it.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { Address } from '@/client/api-types';
import { Field } from '@/components/form-field';
import { formatAddress } from '@/shared/format';
import { fetchAddressSuggestions } from './compose-operations';

/** Quiet time after a keystroke before asking for suggestions. */
const SUGGEST_DELAY_MS = 150;

/** The address being typed: what follows the last comma or semicolon. */
function currentPart(value: string): { head: string; part: string } {
  const cut = Math.max(value.lastIndexOf(','), value.lastIndexOf(';'));
  return { head: value.slice(0, cut + 1), part: value.slice(cut + 1).trim() };
}

export function AddressField({
  id,
  label,
  value,
  onChange,
  labelAside,
  autoFocus,
  placeholder,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  labelAside?: ReactNode;
  autoFocus?: boolean;
  placeholder?: string;
}) {
  const listId = useId();
  const [suggestions, setSuggestions] = useState<Address[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const asked = useRef(0);
  const typed = useRef(false);

  // Suggestions follow what is typed (not what a pick or a reply put in).
  useEffect(() => {
    if (!typed.current) return;
    const { head, part } = currentPart(value);
    const already = new Set(
      head
        .split(/[,;]/)
        .map((entry) => /<([^>]+)>/.exec(entry)?.[1] ?? entry.trim())
        .map((entry) => entry.toLowerCase()),
    );
    if (!part) {
      setOpen(false);
      return;
    }
    const call = (asked.current += 1);
    const timer = setTimeout(() => {
      fetchAddressSuggestions(part)
        .then((found) => {
          if (call !== asked.current) return;
          const fresh = found.filter((entry) => !already.has(entry.address.toLowerCase()));
          setSuggestions(fresh);
          setActive(fresh.length ? 0 : -1);
          setOpen(fresh.length > 0);
        })
        .catch(() => setOpen(false));
    }, SUGGEST_DELAY_MS);
    return () => clearTimeout(timer);
  }, [value]);

  const pick = (address: Address) => {
    typed.current = false;
    asked.current += 1;
    onChange(`${currentPart(value).head}${currentPart(value).head ? ' ' : ''}${formatAddress(address)}, `);
    setOpen(false);
  };

  const optionId = (index: number) => `${id}-suggestion-${index}`;
  const expanded = open && suggestions.length > 0;

  return (
    <Field id={id} label={label} labelAside={labelAside}>
      <div className="relative">
        <input
          id={id}
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
          autoComplete="off"
          autoFocus={autoFocus}
          data-autofocus={autoFocus || undefined}
          placeholder={placeholder}
          value={value}
          onChange={(event) => {
            typed.current = true;
            onChange(event.target.value);
          }}
          onBlur={() => setOpen(false)}
          onKeyDown={(event) => {
            if (!expanded) {
              if (event.key === 'ArrowDown' && suggestions.length && currentPart(value).part) {
                setOpen(true);
                event.preventDefault();
              }
              return;
            }
            if (event.key === 'ArrowDown') setActive((at) => (at + 1) % suggestions.length);
            else if (event.key === 'ArrowUp') setActive((at) => (at <= 0 ? suggestions.length - 1 : at - 1));
            else if (event.key === 'Enter' && !(event.ctrlKey || event.metaKey) && active >= 0)
              pick(suggestions[active]!);
            else if (event.key === 'Escape') {
              // closes the list, not the compose dialog
              event.stopPropagation();
              setOpen(false);
            } else return;
            event.preventDefault();
          }}
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-200"
        />
        <ul
          id={listId}
          role="listbox"
          aria-label="Suggestions"
          hidden={!expanded}
          className="absolute z-20 mt-1 max-h-60 w-full overflow-y-auto rounded-md border border-slate-200 bg-white py-1 shadow-lg"
        >
          {suggestions.map((suggestion, index) => (
            <li
              key={suggestion.address}
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              // keep the focus in the field
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => pick(suggestion)}
              onMouseEnter={() => setActive(index)}
              className={`cursor-pointer px-3 py-1.5 text-sm ${index === active ? 'bg-brand-50 text-brand-900' : 'text-slate-800'}`}
            >
              {suggestion.name ? (
                <>
                  <span className="font-medium">{suggestion.name}</span>{' '}
                  <span className="text-slate-600">&lt;{suggestion.address}&gt;</span>
                </>
              ) : (
                suggestion.address
              )}
            </li>
          ))}
        </ul>
      </div>
    </Field>
  );
}
