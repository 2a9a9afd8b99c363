// The server side of the grammar (RFC 5804 4): strings as quoted strings when they can be, else
// as literals; OK/NO/BYE with an optional response code and a human-readable text.

/** Response codes of RFC 5804 1.3 (and TAG, SASL with their argument, written by the session). */
export type ResponseCode =
  | 'AUTH-TOO-WEAK'
  | 'ENCRYPT-NEEDED'
  | 'QUOTA'
  | 'QUOTA/MAXSCRIPTS'
  | 'QUOTA/MAXSIZE'
  | 'REFERRAL'
  | 'SASL'
  | 'TRANSITION-NEEDED'
  | 'TRYLATER'
  | 'ACTIVE'
  | 'NONEXISTENT'
  | 'ALREADYEXISTS'
  | 'WARNINGS'
  | 'TAG';

/** Longest text sent as a quoted string; longer (or multi-line) text goes as a literal. */
const MAX_QUOTED = 1024;

/** A string as the server sends it: `"..."` with `"` and `\` escaped, or `{n}CRLF...`. */
export function encodeString(value: string): string {
  if (value.length <= MAX_QUOTED && !/[\r\n\0]/.test(value))
    return `"${value.replace(/[\\"]/g, (character) => `\\${character}`)}"`;
  return `{${Buffer.byteLength(value, 'utf8')}}\r\n${value}`;
}

/** `OK`, `NO` or `BYE` with a response code (and its argument) and text, as one response line. */
export function statusLine(
  status: 'OK' | 'NO' | 'BYE',
  text: string,
  code?: ResponseCode,
  codeArgument?: string,
): string {
  const codePart = code
    ? `(${code}${codeArgument === undefined ? '' : ` ${encodeString(codeArgument)}`}) `
    : '';
  return `${status} ${codePart}${encodeString(text || status)}\r\n`;
}
