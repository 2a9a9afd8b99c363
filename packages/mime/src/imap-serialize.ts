// A tiny serializer for IMAP data items: strings (quoted or literal), numbers, NIL and lists.

/**
 * An IMAP value: a string, a number (atom), null (NIL), a parenthesised list, or `adjacent` values
 * written back to back with no space (the parts of a multipart BODYSTRUCTURE: `((...)(...) "MIXED")`,
 * RFC 3501 body-type-mpart = 1*body SP media-subtype).
 */
export type ImapValue = string | number | null | { atom: string } | { adjacent: ImapValue[] } | ImapValue[];

/** Serialises one value to wire bytes: strings with CR, LF, NUL or 8-bit bytes become literals. */
export function serializeImapValue(value: ImapValue): Buffer {
  const out: Buffer[] = [];
  write(value, out);
  return Buffer.concat(out);
}

function write(value: ImapValue, out: Buffer[]): void {
  if (value === null) {
    out.push(Buffer.from('NIL'));
  } else if (typeof value === 'number') {
    out.push(Buffer.from(String(value)));
  } else if (typeof value === 'string') {
    out.push(quoteOrLiteral(value));
  } else if (Array.isArray(value)) {
    out.push(Buffer.from('('));
    value.forEach((item, index) => {
      if (index > 0) out.push(Buffer.from(' '));
      write(item, out);
    });
    out.push(Buffer.from(')'));
  } else if ('adjacent' in value) {
    for (const item of value.adjacent) write(item, out);
  } else {
    out.push(Buffer.from(value.atom));
  }
}

function quoteOrLiteral(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (/[\r\n\0\u0080-\uffff]/.test(text)) {
    return Buffer.concat([Buffer.from(`{${bytes.length}}\r\n`), bytes]);
  }
  return Buffer.from(`"${text.replace(/[\\"]/g, '\\$&')}"`);
}
