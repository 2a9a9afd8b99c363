// RFC 5322 address-list parsing that keeps display names as received (encoded-words intact),
// because IMAP's ENVELOPE sends header text raw; decoding is a separate step.

/** One mailbox: display name as received (unquoted), source route, local part and domain. */
export interface RawMailbox {
  kind: 'mailbox';
  name: string | null;
  route: string | null;
  mailbox: string | null;
  host: string | null;
}

/** A named group (`name: a@b, c@d;`) and its members. */
export interface RawGroup {
  kind: 'group';
  name: string;
  members: RawMailbox[];
}

/** An entry of an address list. */
export type RawAddress = RawMailbox | RawGroup;

type Token =
  | { type: 'text'; value: string; quoted: boolean }
  | { type: 'comment'; value: string }
  | { type: 'angle'; value: string }
  | { type: 'special'; value: ',' | ':' | ';' };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let atom = '';
  const flushAtom = (): void => {
    if (atom) tokens.push({ type: 'text', value: atom, quoted: false });
    atom = '';
  };
  while (i < input.length) {
    const ch = input[i] ?? '';
    if (ch === '"') {
      flushAtom();
      let value = '';
      i++;
      while (i < input.length && input[i] !== '"') {
        if (input[i] === '\\' && i + 1 < input.length) i++;
        value += input[i];
        i++;
      }
      i++;
      tokens.push({ type: 'text', value, quoted: true });
    } else if (ch === '(') {
      flushAtom();
      let depth = 1;
      let value = '';
      i++;
      while (i < input.length && depth > 0) {
        const c = input[i] ?? '';
        if (c === '\\' && i + 1 < input.length) {
          value += input[i + 1];
          i += 2;
          continue;
        }
        if (c === '(') depth++;
        if (c === ')') depth--;
        if (depth > 0) value += c;
        i++;
      }
      tokens.push({ type: 'comment', value: value.trim() });
    } else if (ch === '<') {
      flushAtom();
      // Blanks inside <...> are folding, except within a quoted local part.
      let value = '';
      let quoted = false;
      i++;
      while (i < input.length && (quoted || input[i] !== '>')) {
        const c = input[i] ?? '';
        if (c === '"') quoted = !quoted;
        if (quoted || !/\s/.test(c)) value += c;
        i++;
      }
      i++;
      tokens.push({ type: 'angle', value });
    } else if (ch === ',' || ch === ':' || ch === ';') {
      flushAtom();
      tokens.push({ type: 'special', value: ch });
      i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
      flushAtom();
      i++;
    } else {
      atom += ch;
      i++;
    }
  }
  flushAtom();
  return tokens;
}

/** Parses an address-list header value (From, To, Cc, ...) into mailboxes and groups. */
export function parseAddressList(input: string): RawAddress[] {
  const tokens = tokenize(input);
  const result: RawAddress[] = [];
  let entry: Token[] = [];
  let group: RawGroup | null = null;
  const flushEntry = (): void => {
    const mailbox = entryToMailbox(entry);
    entry = [];
    if (!mailbox) return;
    if (group) group.members.push(mailbox);
    else result.push(mailbox);
  };
  for (const token of tokens) {
    if (token.type === 'special' && token.value === ':' && !group && !entry.some((t) => t.type === 'angle')) {
      group = { kind: 'group', name: phraseOf(entry) ?? '', members: [] };
      entry = [];
    } else if (token.type === 'special' && token.value === ';' && group) {
      flushEntry();
      result.push(group);
      group = null;
    } else if (token.type === 'special' && token.value === ',') {
      flushEntry();
    } else {
      entry.push(token);
    }
  }
  flushEntry();
  if (group) result.push(group);
  return result;
}

function phraseOf(tokens: readonly Token[]): string | null {
  const words = tokens.filter((t) => t.type === 'text').map((t) => t.value);
  return words.length ? words.join(' ') : null;
}

function entryToMailbox(tokens: readonly Token[]): RawMailbox | null {
  const angle = tokens.find((t) => t.type === 'angle');
  let name: string | null;
  let spec: string;
  if (angle) {
    const before = tokens.slice(0, tokens.indexOf(angle));
    name = phraseOf(before);
    spec = angle.value;
  } else {
    const words = tokens.filter((t) => t.type === 'text');
    if (!words.length) return null;
    // A bare addr-spec: its words join without spaces ("john . doe @ example.com" is odd but legal).
    spec = words.map((t) => (t.quoted ? `"${t.value}"` : t.value)).join('');
    const comment = tokens.find((t) => t.type === 'comment');
    name = comment?.value || null;
  }
  let route: string | null = null;
  const routeMatch = /^(@[^:]*):(.*)$/.exec(spec);
  if (routeMatch) {
    route = routeMatch[1] ?? null;
    spec = routeMatch[2] ?? '';
  }
  const at = spec.lastIndexOf('@');
  const mailbox = at < 0 ? spec : spec.slice(0, at);
  const host = at < 0 ? '' : spec.slice(at + 1);
  if (!mailbox && !host && !name) return null;
  return { kind: 'mailbox', name, route, mailbox: unquoteLocalPart(mailbox), host };
}

function unquoteLocalPart(localPart: string): string {
  return /^".*"$/.test(localPart) ? localPart.slice(1, -1) : localPart;
}
