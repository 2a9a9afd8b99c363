// LIST/LSUB mailbox pattern matching (RFC 3501 6.3.8): `*` matches anything, `%` anything but
// the hierarchy delimiter. The reference name is prefixed to the pattern.
//
// Matching walks the pattern as a set of states over the path's characters, so it takes at most
// (pattern length x path length) steps whatever the wildcards: a regular expression built from a
// pattern like `%*%*%*...x` backtracks exponentially and froze the process on one LIST.
import { MAILBOX_DELIMITER } from './backend.js';

/** One element of a compiled pattern: a character, or a run of wildcards. */
type Token = { readonly wildcard: '*' | '%' } | { readonly char: string };

/** Builds a matcher for `LIST reference pattern`; INBOX is matched case-insensitively. */
export function compileListPattern(reference: string, pattern: string): (path: string) => boolean {
  const full = joinReference(reference, pattern);
  const tokens = tokenize(full);
  return (path) => {
    if (path === 'INBOX' || path.startsWith('INBOX' + MAILBOX_DELIMITER)) {
      // Any case of "inbox" in the pattern names INBOX.
      return matchTokens(tokens, path, true) && matchTokens(tokens, normaliseInboxPrefix(full, path), false);
    }
    return matchTokens(tokens, path, false);
  };
}

/** Splits a pattern into characters and wildcards; adjacent wildcards merge (`%*` is `*`). */
function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (const char of pattern) {
    if (char === '*' || char === '%') {
      const last = tokens[tokens.length - 1];
      if (last && 'wildcard' in last) {
        if (char === '*') tokens[tokens.length - 1] = { wildcard: '*' };
        continue;
      }
      tokens.push({ wildcard: char });
    } else {
      tokens.push({ char });
    }
  }
  return tokens;
}

/** True when `path` as a whole matches the tokens. */
function matchTokens(tokens: readonly Token[], path: string, ignoreCase: boolean): boolean {
  // states[i]: the path read so far can end just before token i
  let states = new Uint8Array(tokens.length + 1);
  states[0] = 1;
  close(tokens, states);
  for (const char of path) {
    const next = new Uint8Array(tokens.length + 1);
    let any = false;
    for (let index = 0; index < tokens.length; index++) {
      if (!states[index]) continue;
      const token = tokens[index]!;
      if ('wildcard' in token) {
        if (token.wildcard === '*' || char !== MAILBOX_DELIMITER) {
          next[index] = 1;
          any = true;
        }
      } else if (sameChar(token.char, char, ignoreCase)) {
        next[index + 1] = 1;
        any = true;
      }
    }
    if (!any) return false;
    close(tokens, next);
    states = next;
  }
  return states[tokens.length] === 1;
}

/** A wildcard may match nothing: a state before one is also a state after it. */
function close(tokens: readonly Token[], states: Uint8Array): void {
  for (let index = 0; index < tokens.length; index++) {
    if (states[index] && 'wildcard' in tokens[index]!) states[index + 1] = 1;
  }
}

function sameChar(a: string, b: string, ignoreCase: boolean): boolean {
  return a === b || (ignoreCase && a.toLowerCase() === b.toLowerCase());
}

/** Joins LIST's reference and pattern; a pattern starting with the delimiter is absolute. */
function joinReference(reference: string, pattern: string): string {
  if (!reference || pattern.startsWith(MAILBOX_DELIMITER)) return pattern;
  return reference + pattern;
}

function normaliseInboxPrefix(pattern: string, path: string): string {
  // The pattern wrote "inbox" in some case: compare the path written the same way.
  const head = pattern.slice(0, 5);
  return head.toUpperCase() === 'INBOX' ? head + path.slice(5) : path;
}
