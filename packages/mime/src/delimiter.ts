// Recognising MIME delimiter lines (RFC 2046 5.1.1) and line endings, byte by byte.

/** A line longer than the longest boundary plus this cannot be a delimiter line. */
const MAX_DELIMITER_PADDING = 256;

/** Length of the CRLF or LF that ends a line (0 for a last line without one). */
export function lineEndingLength(line: Buffer): number {
  if (line[line.length - 1] !== 0x0a) return 0;
  return line.length > 1 && line[line.length - 2] === 0x0d ? 2 : 1;
}

/** Whether a line is `--boundary` (next part) or `--boundary--` (close), allowing trailing blanks. */
export function delimiterKind(line: Buffer, boundary: Buffer): 'next' | 'close' | null {
  if (line.length < boundary.length + 2 || !line.subarray(2, 2 + boundary.length).equals(boundary)) {
    return null;
  }
  let pos = 2 + boundary.length;
  let close = false;
  if (line[pos] === 0x2d && line[pos + 1] === 0x2d) {
    close = true;
    pos += 2;
  }
  const end = line.length - lineEndingLength(line);
  for (; pos < end; pos++) {
    const byte = line[pos];
    if (byte !== 0x20 && byte !== 0x09) return null;
  }
  return close ? 'close' : 'next';
}

/** Whether the start of a line seen so far (in pieces) may still turn out to be a delimiter. */
export function mayBeDelimiterStart(
  pieces: readonly Buffer[],
  length: number,
  longestBoundary: number,
): boolean {
  if (!longestBoundary || length > longestBoundary + 4 + MAX_DELIMITER_PADDING) return false;
  const first = pieces[0];
  if (!first) return true;
  if (first[0] !== 0x2d) return false;
  const second = first.length > 1 ? first[1] : pieces[1]?.[0];
  return second === undefined || second === 0x2d;
}
