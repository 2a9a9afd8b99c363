// Parses Content-Type and Content-Disposition values: the main value plus parameters,
// both as IMAP must send them (continuations joined, charsets still encoded) and decoded for use.

import { decode as decodeCharset } from 'libmime/lib/charset.js';
import { decodeEncodedWords } from './encoded-words.js';

/** One parameter exactly as it appeared, name lower-cased, quotes and escapes removed. */
export interface RawParameter {
  name: string;
  value: string;
}

/** A structured header value: the lower-case main value and its raw parameters in order. */
export interface ParameterizedValue {
  value: string;
  params: RawParameter[];
}

/** Splits `value; name=token; name="quoted"` into the main value and parameters, ignoring comments. */
export function parseParameterizedValue(text: string): ParameterizedValue {
  const pieces = splitOutsideQuotes(stripComments(text), ';');
  const value = (pieces.shift() ?? '').trim().toLowerCase();
  const params: RawParameter[] = [];
  for (const piece of pieces) {
    const eq = piece.indexOf('=');
    if (eq < 0) continue;
    const name = piece.slice(0, eq).trim().toLowerCase();
    if (!name) continue;
    params.push({ name, value: unquote(piece.slice(eq + 1).trim()) });
  }
  return { value, params };
}

interface ContinuationSegment {
  index: number;
  extended: boolean;
  value: string;
}

/** Groups RFC 2231 pieces (`name*0*`, `name*1`, `name*`) by parameter name, in index order. */
function groupContinuations(params: readonly RawParameter[]): Map<string, ContinuationSegment[]> {
  const groups = new Map<string, ContinuationSegment[]>();
  for (const param of params) {
    const match = /^([^*]+)(?:\*(\d+))?(\*)?$/.exec(param.name);
    const base = match?.[1] ?? param.name;
    const index = match?.[2] !== undefined ? Number(match[2]) : -1;
    const extended = match?.[3] === '*';
    const list = groups.get(base) ?? [];
    // A plain `name` next to `name*` would mix two values: keep only the extended one.
    if (index < 0 && list.length > 0 && !extended) continue;
    if (index < 0 && extended) list.length = 0;
    list.push({ index, extended, value: param.value });
    groups.set(base, list);
  }
  for (const list of groups.values()) list.sort((a, b) => a.index - b.index);
  return groups;
}

/** Parameters as IMAP's BODYSTRUCTURE sends them: continuations joined, `name*` kept charset-encoded. */
export function imapParameters(params: readonly RawParameter[]): [string, string][] {
  const result: [string, string][] = [];
  for (const [name, segments] of groupContinuations(params)) {
    const anyExtended = segments.some((segment) => segment.extended);
    const value = segments
      .map((segment) => (anyExtended && !segment.extended ? percentEncode(segment.value) : segment.value))
      .join('');
    result.push([anyExtended ? `${name}*` : name, value]);
  }
  return result;
}

/**
 * True for a name that is safe as a key of a stored object: MongoDB refuses keys with '.' or a
 * leading '$', and prototype names would not be plain keys at all.
 */
function isStorableKey(name: string): boolean {
  return (
    !name.includes('.') && !name.startsWith('$') && !['__proto__', 'constructor', 'prototype'].includes(name)
  );
}

/**
 * Parameters decoded for use: continuations joined, RFC 2231 charsets and stray encoded-words
 * decoded. Names MongoDB could not store as keys are left out (BODYSTRUCTURE keeps them all).
 */
export function decodedParameters(params: readonly RawParameter[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, segments] of groupContinuations(params)) {
    if (isStorableKey(name)) result[name] = decodeSegments(segments);
  }
  return result;
}

function decodeSegments(segments: readonly ContinuationSegment[]): string {
  const first = segments[0];
  if (!first) return '';
  if (!segments.some((segment) => segment.extended)) {
    return decodeEncodedWords(segments.map((segment) => segment.value).join(''));
  }
  let charset = 'us-ascii';
  const bytes: Buffer[] = [];
  for (const segment of segments) {
    let text = segment.value;
    if (segment === first && segment.extended) {
      const parts = /^([^']*)'[^']*'(.*)$/s.exec(text);
      if (parts) {
        charset = parts[1] || 'us-ascii';
        text = parts[2] ?? '';
      }
    }
    bytes.push(segment.extended ? percentDecode(text) : Buffer.from(text, 'utf8'));
  }
  const joined = Buffer.concat(bytes);
  try {
    return decodeCharset(joined, charset);
  } catch {
    return joined.toString('utf8');
  }
}

function percentDecode(text: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      for (const byte of Buffer.from(text[i] ?? '', 'utf8')) out.push(byte);
    }
  }
  return Buffer.from(out);
}

function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9!#$&+\-.^_`|~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** Splits on a separator that is outside double quotes (backslash escapes respected). */
export function splitOutsideQuotes(text: string, separator: string): string[] {
  const pieces: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (quoted && ch === '\\') {
      current += ch + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === separator) {
      pieces.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  pieces.push(current);
  return pieces;
}

/** Removes RFC 5322 comments `( ... )` (nested, outside quoted strings). */
export function stripComments(text: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === '\\' && (quoted || depth > 0)) {
      if (depth === 0) out += ch + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (depth === 0 && ch === '"') quoted = !quoted;
    if (!quoted && ch === '(') {
      depth++;
      continue;
    }
    if (!quoted && depth > 0 && ch === ')') {
      depth--;
      continue;
    }
    if (depth === 0) out += ch;
  }
  return out;
}

/** Removes surrounding double quotes and backslash escapes from a parameter value. */
export function unquote(text: string): string {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    return text.slice(1, -1).replace(/\\(.)/gs, '$1');
  }
  return text;
}
