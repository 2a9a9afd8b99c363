/**
 * Addresses for the address and envelope tests (RFC 5228 2.7.4, 5.1, 5.4) and for redirect's
 * argument (2.4.2.3): pulls the addr-specs out of an address-list header value, and splits one
 * into its local part and domain. Display names, comments and group names are never matched.
 */

export type AddressPart = 'all' | 'localpart' | 'domain';

/** Headers whose bodies are address lists; the address test looks at no others. */
export const ADDRESS_HEADERS = new Set([
  'from',
  'sender',
  'reply-to',
  'to',
  'cc',
  'bcc',
  'resent-from',
  'resent-sender',
  'resent-reply-to',
  'resent-to',
  'resent-cc',
  'resent-bcc',
  'return-path',
  'delivered-to',
  'disposition-notification-to',
  'errors-to',
]);

/**
 * The addr-specs of an address-list (RFC 5322 3.4), in order. Tolerant: unbalanced quotes or
 * brackets end the item, and an item without an angle address yields its bare text (so
 * "undisclosed-recipients:;" yields nothing and "foo" yields "foo").
 */
export function parseAddressList(value: string): string[] {
  const addresses: string[] = [];
  let bare = '';
  let angle: string | null = null;
  let inAngle = false;
  const finish = (): void => {
    const address = (angle ?? bare).trim();
    if (address) addresses.push(address);
    bare = '';
    angle = null;
  };
  for (let index = 0; index < value.length; index++) {
    const char = value[index]!;
    if (char === '"') {
      // A quoted string: part of a display name, or of a local part when it is inside <…>
      // or in a bare addr-spec.
      let end = index + 1;
      while (end < value.length && value[end] !== '"') end += value[end] === '\\' ? 2 : 1;
      const quoted = value.slice(index, end + 1);
      if (inAngle) angle += quoted;
      else bare += quoted;
      index = end;
    } else if (char === '(') {
      let depth = 1;
      let end = index + 1;
      for (; end < value.length && depth > 0; end++) {
        if (value[end] === '\\') end++;
        else if (value[end] === '(') depth++;
        else if (value[end] === ')') depth--;
      }
      index = end - 1;
    } else if (char === '<' && !inAngle) {
      inAngle = true;
      angle = '';
    } else if (char === '>' && inAngle) {
      inAngle = false;
    } else if (inAngle) {
      angle += char;
    } else if (char === ':') {
      // A group's display name ends here; its members follow.
      bare = '';
    } else if (char === ',' || char === ';') {
      finish();
    } else {
      bare += char;
    }
  }
  finish();
  // A display name is words without "@"; a bare addr-spec has no spaces once trimmed.
  return addresses
    .map(stripSourceRoute)
    .filter((address) => address && !/\s/.test(address.replace(/"[^"]*"/g, '')));
}

/** "@a.example,@b.example:user@c.example" -> "user@c.example" (RFC 5228 5.4: drop source routes). */
export function stripSourceRoute(address: string): string {
  const trimmed = address.trim();
  if (!trimmed.startsWith('@')) return trimmed;
  const colon = trimmed.indexOf(':');
  return colon >= 0 ? trimmed.slice(colon + 1) : trimmed;
}

/**
 * The part of an addr-spec that a test compares; null when the address has no "@" and so no
 * local part or domain (RFC 5228 2.7.4: such an address is never matched by them).
 */
export function addressPart(address: string, part: AddressPart): string | null {
  if (part === 'all') return address;
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return null;
  return part === 'localpart' ? address.slice(0, at) : address.slice(at + 1);
}

const ATEXT = '[^\\s"(),.:;<>@\\[\\\\\\]]';
const DOT_ATOM = `${ATEXT}+(?:\\.${ATEXT}+)*`;
const QUOTED = '"(?:[^"\\\\\\r\\n]|\\\\.)*"';
const DOMAIN = `(?:${DOT_ATOM}|\\[[^\\[\\]\\\\\\s]*\\])`;
const ADDR_SPEC = new RegExp(`^(?:${DOT_ATOM}|${QUOTED})@${DOMAIN}$`);

/**
 * The addr-spec of a redirect target written as `addr-spec` or `phrase <addr-spec>` (RFC 5228
 * 2.4.2.3); null when it is neither, which is a runtime error for the caller.
 */
export function parseSieveAddress(text: string): string | null {
  const trimmed = text.trim();
  const angled = /^[^<>]*<([^<>]+)>$/.exec(trimmed);
  const address = (angled ? angled[1]! : trimmed).trim();
  return ADDR_SPEC.test(address) ? address : null;
}

/** Addresses compare case-insensitively for deduplication and "is this mine" checks. */
export function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
