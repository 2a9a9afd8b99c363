/**
 * Header access for the tests: fields by name (case-insensitive, RFC 5228 2.4.2.2), values with
 * RFC 2047 encoded-words decoded to Unicode (2.7.2), trimmed for the header test (5.7).
 */
import libmime from 'libmime';
import type { SieveHeaderField } from '../interpreter-types.js';

/** Decodes encoded-words; a value that fails to decode is compared as written (2.7.2 allows it). */
export function decodeHeaderValue(raw: string): string {
  if (!raw.includes('=?')) return raw;
  try {
    return libmime.decodeWords(raw);
  } catch {
    return raw;
  }
}

export class MessageHeaders {
  private readonly byName = new Map<string, string[]>();

  constructor(fields: readonly SieveHeaderField[]) {
    for (const field of fields) {
      const name = field.name.trim().toLowerCase();
      const values = this.byName.get(name);
      if (values) values.push(field.value);
      else this.byName.set(name, [field.value]);
    }
  }

  has(name: string): boolean {
    return this.byName.has(name.trim().toLowerCase());
  }

  /** Raw (undecoded) values of every field with this name, in message order. */
  raw(name: string): string[] {
    return this.byName.get(name.trim().toLowerCase()) ?? [];
  }

  /** Decoded values with leading and trailing whitespace removed, as the header test sees them. */
  decoded(name: string): string[] {
    return this.raw(name).map((value) => decodeHeaderValue(value).trim());
  }

  first(name: string): string | undefined {
    return this.decoded(name)[0];
  }
}
