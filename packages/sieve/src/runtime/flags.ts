/**
 * IMAP flag lists for imap4flags (RFC 5232 2 and 3): a list is a set of case-insensitive words,
 * written as a space-separated string when it sits in a variable. Flags IMAP cannot store
 * (\Recent, malformed names) are dropped rather than failing the script.
 */

const SYSTEM_FLAGS = new Map(
  ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'].map((flag) => [flag.toLowerCase(), flag]),
);

/** RFC 3501 atom characters: no controls, space, ( ) { % * " \ ] or non-ASCII. */
const KEYWORD = /^[!#$&'+,\-./0-9:;<=>?@A-Z[^_`a-z|}~]+$/;

/** The flag as IMAP would store it, or null when it must be ignored. */
export function canonicalFlag(flag: string): string | null {
  if (flag.startsWith('\\')) return SYSTEM_FLAGS.get(flag.toLowerCase()) ?? null;
  return KEYWORD.test(flag) ? flag : null;
}

/** Strings of a list-of-flags argument -> distinct valid flags, first spelling kept. */
export function parseFlags(strings: readonly string[]): string[] {
  const flags: string[] = [];
  const seen = new Set<string>();
  for (const text of strings) {
    for (const word of text.split(/[ \t\r\n]+/)) {
      const flag = word ? canonicalFlag(word) : null;
      if (!flag || seen.has(flag.toLowerCase())) continue;
      seen.add(flag.toLowerCase());
      flags.push(flag);
    }
  }
  return flags;
}

export function addFlags(current: readonly string[], added: readonly string[]): string[] {
  return parseFlags([...current, ...added]);
}

export function removeFlags(current: readonly string[], removed: readonly string[]): string[] {
  const gone = new Set(removed.map((flag) => flag.toLowerCase()));
  return current.filter((flag) => !gone.has(flag.toLowerCase()));
}

export function formatFlags(flags: readonly string[]): string {
  return flags.join(' ');
}
