// Splits a raw header block into fields, keeping each field's exact bytes for HEADER.FIELDS.

/** One header field: its lower-case name, its exact bytes (folded lines and line endings), and its unfolded value. */
export interface HeaderField {
  /** Lower-case field name; '' for a line that is neither a field nor a continuation. */
  key: string;
  raw: Buffer;
  /** The value after the colon, unfolded and trimmed, as text (UTF-8 when valid, else Latin-1). */
  value: string;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** Decodes header bytes as UTF-8 when they are valid UTF-8 (RFC 6532), else byte for byte as Latin-1. */
export function headerBytesToString(bytes: Uint8Array): string {
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
}

/** True for the line that ends a header block: CRLF or LF alone. */
export function isBlankLine(line: Uint8Array): boolean {
  return (
    (line.length === 1 && line[0] === 0x0a) || (line.length === 2 && line[0] === 0x0d && line[1] === 0x0a)
  );
}

/** Parses a header block (with or without its terminating blank line) into fields, in order. */
export function parseHeaderBlock(block: Buffer): HeaderField[] {
  const fields: HeaderField[] = [];
  let fieldStart = -1;
  let pos = 0;
  const closeField = (end: number): void => {
    if (fieldStart < 0 || end <= fieldStart) return;
    fields.push(makeField(block.subarray(fieldStart, end)));
    fieldStart = -1;
  };
  while (pos < block.length) {
    const lf = block.indexOf(0x0a, pos);
    const lineEnd = lf < 0 ? block.length : lf + 1;
    const line = block.subarray(pos, lineEnd);
    if (isBlankLine(line)) {
      closeField(pos);
      break;
    }
    const first = line[0];
    const isContinuation = first === 0x20 || first === 0x09;
    if (!isContinuation || fieldStart < 0) {
      closeField(pos);
      fieldStart = pos;
    }
    pos = lineEnd;
  }
  closeField(pos);
  return fields;
}

function makeField(raw: Buffer): HeaderField {
  const colon = raw.indexOf(0x3a);
  const firstLf = raw.indexOf(0x0a);
  const nameEnd = colon >= 0 && (firstLf < 0 || colon < firstLf) ? colon : -1;
  if (nameEnd < 0) {
    return { key: '', raw, value: unfold(headerBytesToString(raw)) };
  }
  const key = raw.subarray(0, nameEnd).toString('latin1').trim().toLowerCase();
  // A name with blanks inside (an mbox "From " line, say) is no field name.
  if (!key || /\s/.test(key)) return { key: '', raw, value: unfold(headerBytesToString(raw)) };
  return { key, raw, value: unfold(headerBytesToString(raw.subarray(nameEnd + 1))) };
}

/** Removes the line breaks of folding (RFC 5322 2.2.3) and trims the result. */
export function unfold(text: string): string {
  return text
    .replace(/\r?\n(?=[ \t])/g, '')
    .replace(/\r?\n$/, '')
    .trim();
}

/** First value of a field by lower-case name, or undefined. */
export function firstValue(fields: readonly HeaderField[], key: string): string | undefined {
  return fields.find((field) => field.key === key)?.value;
}

/** Every value of a field, in header order (an address field may be given on several lines). */
export function allValues(fields: readonly HeaderField[], key: string): string[] {
  return fields.filter((field) => field.key === key).map((field) => field.value);
}
