// How the raw-socket test clients cut what the server sent into response lines: at CRLF, with a
// line ending in {n} continued after its n literal bytes (so a literal arrives with its line).

/** The complete lines at the start of `buffer`, and the bytes left over for the next chunk. */
export function takeResponseLines(buffer: Buffer): { lines: string[]; rest: Buffer } {
  const lines: string[] = [];
  let rest = buffer;
  for (;;) {
    const end = rest.indexOf('\r\n');
    if (end < 0) break;
    let line = rest.subarray(0, end).toString('utf8');
    let consumed = end + 2;
    let literal = /\{(\d+)\}$/.exec(line);
    while (literal) {
      const size = Number(literal[1]);
      if (rest.length < consumed + size) return { lines, rest };
      const after = rest.indexOf('\r\n', consumed + size);
      if (after < 0) return { lines, rest };
      line += '\r\n' + rest.subarray(consumed, after).toString('utf8');
      consumed = after + 2;
      literal = /\{(\d+)\}$/.exec(line);
    }
    rest = rest.subarray(consumed);
    lines.push(line);
  }
  return { lines, rest };
}
