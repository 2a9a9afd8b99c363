// RFC 4314 rights as text: reading a client's rights (with the obsolete virtual rights `c` and
// `d` expanded, section 2.1.1) and writing rights back (with `c` and `d` added, as RFC 2086
// clients expect). Pure functions, no I/O.
//
// Section 2.1.1 leaves two readings of the virtual rights; we take the one its section 3.1
// example shows (`+cda` on `lrswi` gives `lrswicdakxet`): `c` stands for `k` and `x`, `d` for
// `e` and `t`.
import type { AclChange, ListRights } from './backend.js';

/** Every real right this server has, in the order rights are written. */
export const STANDARD_RIGHTS = 'lrswipkxtea';

/** The real rights each virtual right stands for. */
const VIRTUAL_RIGHTS: Readonly<Record<'c' | 'd', string>> = { c: 'kx', d: 'et' };

/** The letters of `rights` that are real rights, once each, in `STANDARD_RIGHTS` order. */
export function canonicalRights(rights: string): string {
  return [...STANDARD_RIGHTS].filter((right) => rights.includes(right)).join('');
}

/** A SETACL mod-rights read, or why it is invalid (the command then gets a tagged BAD). */
export type ModRightsResult = { ok: true; change: AclChange } | { ok: false; reason: string };

/**
 * Reads SETACL's third argument: an optional `+` or `-`, then zero or more rights. Unknown rights
 * are refused, never dropped (RFC 4314 3.1); `c` and `d` become the rights they stand for.
 */
export function parseModRights(text: string): ModRightsResult {
  const sign = text[0];
  const mode = sign === '+' ? 'add' : sign === '-' ? 'remove' : 'replace';
  const letters = mode === 'replace' ? text : text.slice(1);
  let expanded = '';
  for (const letter of letters) {
    if (letter >= 'A' && letter <= 'Z') return { ok: false, reason: 'Uppercase rights are not allowed' };
    if (letter === 'c' || letter === 'd') expanded += VIRTUAL_RIGHTS[letter];
    else if (STANDARD_RIGHTS.includes(letter)) expanded += letter;
    else return { ok: false, reason: `The ${letter} right is not supported` };
  }
  return { ok: true, change: { mode, rights: canonicalRights(expanded) } };
}

/** Rights as MYRIGHTS and ACL write them: `c` with any of `k x`, `d` with any of `e t`. */
export function withVirtualRights(rights: string): string {
  let written = canonicalRights(rights);
  for (const [virtual, members] of Object.entries(VIRTUAL_RIGHTS)) {
    if ([...members].some((member) => written.includes(member))) written += virtual;
  }
  return written;
}

/**
 * LISTRIGHTS data with `c` and `d` added (RFC 4314 2.1.1): a virtual right goes with a required
 * member; else into the first group where a member is tied to other rights; else on its own.
 */
export function listRightsWithVirtual(list: ListRights): ListRights {
  let required = list.required;
  const optional = [...list.optional];
  for (const [virtual, members] of Object.entries(VIRTUAL_RIGHTS)) {
    const hasMember = (group: string) => [...members].some((member) => group.includes(member));
    if (hasMember(required)) {
      required += virtual;
      continue;
    }
    if (!optional.some(hasMember)) continue;
    const tied = optional.findIndex(
      (group) =>
        hasMember(group) &&
        [...group].some((right) => !members.includes(right) && !(right in VIRTUAL_RIGHTS)),
    );
    if (tied >= 0) optional[tied] += virtual;
    else optional.push(virtual);
  }
  return { required, optional };
}

/**
 * True when rights allow no change to the mailbox's messages: none of `s w t e i`. SELECT then
 * answers READ-ONLY (RFC 4314 5.2).
 */
export function isReadOnly(rights: string): boolean {
  return ![...'swtei'].some((right) => rights.includes(right));
}

/**
 * Of a mailbox's permanent flags, those the rights let the user store (RFC 4314 4 and 5.1.1):
 * `\Seen` needs `s`, `\Deleted` needs `t`, every other flag (and `\*`) needs `w`.
 */
export function permittedFlags(flags: readonly string[], rights: string): string[] {
  return flags.filter((flag) => rights.includes(rightForFlag(flag)));
}

/** The right that storing `flag` needs. */
export function rightForFlag(flag: string): string {
  const name = flag.toLowerCase();
  if (name === '\\seen') return 's';
  if (name === '\\deleted') return 't';
  return 'w';
}
