/**
 * The `:matches` glob of RFC 5228 2.7.1: `*` is any run of characters, `?` one character, and a
 * backslash makes the next character literal. It also yields what each wildcard matched, for the
 * match variables of RFC 5229 3.2 (non-greedy: every wildcard takes as little as it can).
 *
 * The classic one-star backtracking walk, not a RegExp: it is O(value × pattern) at worst, so a
 * hostile pattern such as "*a*a*a*a*b" against a large body cannot blow up.
 */

type PatternToken = { kind: 'any' } | { kind: 'one' } | { kind: 'char'; char: string };

function tokenize(pattern: string, fold: (char: string) => string): PatternToken[] {
  const chars = Array.from(pattern);
  const tokens: PatternToken[] = [];
  for (let index = 0; index < chars.length; index++) {
    const char = chars[index]!;
    if (char === '\\' && index + 1 < chars.length) {
      tokens.push({ kind: 'char', char: fold(chars[++index]!) });
    } else if (char === '*') {
      // "**" matches what "*" matches, but each star still owns a (possibly empty) match variable.
      tokens.push({ kind: 'any' });
    } else if (char === '?') {
      tokens.push({ kind: 'one' });
    } else {
      tokens.push({ kind: 'char', char: fold(char) });
    }
  }
  return tokens;
}

/**
 * Matches `value` against the glob; null when it does not match, else the text of each wildcard
 * in order (the strings of ${1}, ${2}, …). `fold` maps a character for comparison (case folding).
 */
export function matchWildcard(
  value: string,
  pattern: string,
  fold: (char: string) => string,
): string[] | null {
  const tokens = tokenize(pattern, fold);
  const chars = Array.from(value);
  /** Where in `chars` each token started on the path that is being tried. */
  const starts: number[] = new Array<number>(tokens.length + 1).fill(0);
  let valueIndex = 0;
  let tokenIndex = 0;
  let starToken = -1;
  let starValueIndex = 0;
  while (valueIndex < chars.length) {
    const token = tokens[tokenIndex];
    if (token?.kind === 'one') {
      starts[tokenIndex++] = valueIndex++;
    } else if (token?.kind === 'char' && token.char === fold(chars[valueIndex]!)) {
      starts[tokenIndex++] = valueIndex++;
    } else if (token?.kind === 'any') {
      starToken = tokenIndex;
      starValueIndex = valueIndex;
      starts[tokenIndex++] = valueIndex;
    } else if (starToken >= 0) {
      // Let the most recent star take one more character and retry what follows it.
      tokenIndex = starToken + 1;
      valueIndex = ++starValueIndex;
    } else {
      return null;
    }
  }
  while (tokens[tokenIndex]?.kind === 'any') starts[tokenIndex++] = valueIndex;
  if (tokenIndex !== tokens.length) return null;
  starts[tokens.length] = chars.length;

  const captures: string[] = [];
  tokens.forEach((token, index) => {
    if (token.kind === 'one') captures.push(chars[starts[index]!]!);
    else if (token.kind === 'any') captures.push(chars.slice(starts[index]!, starts[index + 1]!).join(''));
  });
  return captures;
}
