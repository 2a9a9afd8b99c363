/**
 * RFC 5229 variables of one script: named variables set by `set`, the match variables of the
 * last successful :matches, `${…}` expansion of strings, and the `set` modifiers.
 */
import { asciiLower, asciiUpper } from './comparators.js';

/** RFC 5229 6 asks for at least 4000 characters a variable; longer values are cut, not an error. */
export const MAX_VARIABLE_LENGTH = 65536;

/** `${name}` or `${digits}`; namespaced references (`${a.b}`) are left as written. */
const VARIABLE_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*|[0-9]+)\}/g;

export type SetModifier = 'lower' | 'upper' | 'lowerfirst' | 'upperfirst' | 'quotewildcard' | 'length';

/** RFC 5229 4.1: modifiers apply in this order whatever order the script names them in. */
const MODIFIER_ORDER: readonly SetModifier[] = [
  'lower',
  'upper',
  'lowerfirst',
  'upperfirst',
  'quotewildcard',
  'length',
];

function truncate(value: string): string {
  return value.length > MAX_VARIABLE_LENGTH ? value.slice(0, MAX_VARIABLE_LENGTH) : value;
}

export function applyModifier(modifier: SetModifier, value: string): string {
  switch (modifier) {
    case 'lower':
      return asciiLower(value);
    case 'upper':
      return asciiUpper(value);
    case 'lowerfirst':
      return asciiLower(value.slice(0, 1)) + value.slice(1);
    case 'upperfirst':
      return asciiUpper(value.slice(0, 1)) + value.slice(1);
    case 'quotewildcard':
      return value.replace(/[*?\\]/g, (char) => `\\${char}`);
    case 'length':
      return String(Array.from(value).length);
  }
}

export class Variables {
  private readonly named = new Map<string, string>();
  private matchValues: string[] = [];

  constructor(
    /** Whether the script required "variables": without it strings are taken literally. */
    readonly enabled: boolean,
  ) {}

  get(name: string): string {
    if (/^[0-9]+$/.test(name)) return this.matchValues[Number(name)] ?? '';
    return this.named.get(name.toLowerCase()) ?? '';
  }

  set(name: string, value: string, modifiers: readonly SetModifier[] = []): void {
    let result = value;
    for (const modifier of MODIFIER_ORDER) {
      if (modifiers.includes(modifier)) result = applyModifier(modifier, result);
    }
    this.named.set(name.toLowerCase(), truncate(result));
  }

  /** RFC 5229 3.2: what the wildcards of the last successful :matches took ([0] is the whole). */
  setMatches(values: readonly string[]): void {
    this.matchValues = values.map(truncate);
  }

  /** One pass, left to right; unknown variables expand to the empty string (RFC 5229 3). */
  expand(text: string): string {
    if (!this.enabled || !text.includes('${')) return text;
    return text.replace(VARIABLE_REFERENCE, (_, name: string) => this.get(name));
  }
}
