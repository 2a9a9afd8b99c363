// IMAP FETCH sections (RFC 3501 6.4.5, RFC 9051 6.4.5): which bytes BODY[section]<partial>
// names, served from the stored segments, reading only what the section needs.

import { Readable } from 'node:stream';
import { parseHeaderBlock } from './header-block.js';
import type { IndexedMessage, MimePart } from './model.js';
import { readMessageRange, sliceInlineBytes } from './reassemble.js';
import type { OpenBody, SectionContent } from './reassemble.js';

/** What follows the part numbers of a section. */
export type SectionSpecifier = 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'TEXT' | 'MIME';

/** A parsed section: part numbers (empty for the whole message), an optional specifier and field names. */
export interface SectionSpec {
  part: number[];
  specifier?: SectionSpecifier;
  /** Upper-case field names of HEADER.FIELDS and HEADER.FIELDS.NOT. */
  fields?: string[];
}

/** A `<start.length>` partial; without length, to the end. */
export interface PartialRange {
  start: number;
  length?: number;
}

/** The message data a section needs: the tree and the segments. */
export type StoredSections = Pick<IndexedMessage, 'root' | 'segments' | 'size'>;

/** Parses the text between BODY[ and ], e.g. `1.2.HEADER.FIELDS (FROM TO)`; throws on bad syntax. */
export function parseSectionSpec(text: string): SectionSpec {
  const trimmed = text.trim();
  const numbered = /^((?:[1-9]\d*\.)*[1-9]\d*)?(\.?)(.*)$/s.exec(trimmed);
  const [, numbers, dot, rest = ''] = numbered ?? [];
  const match = /^(HEADER\.FIELDS\.NOT|HEADER\.FIELDS|HEADER|TEXT|MIME)?\s*(?:\(([^)]*)\))?$/i.exec(rest);
  // A specifier after part numbers needs its dot; a dot needs something after it.
  if (!match || (numbers && rest && !dot) || (dot && !rest)) {
    throw new Error(`invalid section "${text}": expected e.g. 1.2, HEADER, 2.TEXT or HEADER.FIELDS (FROM)`);
  }
  const [, specifierText, fieldText] = match;
  const spec: SectionSpec = { part: numbers ? numbers.split('.').map(Number) : [] };
  const specifier = specifierText?.toUpperCase() as SectionSpecifier | undefined;
  if (specifier) spec.specifier = specifier;
  if (specifier === 'MIME' && !spec.part.length) throw new Error('MIME needs a part number, e.g. 1.MIME');
  if (specifier === 'HEADER.FIELDS' || specifier === 'HEADER.FIELDS.NOT') {
    spec.fields = (fieldText ?? '')
      .split(/\s+/)
      .map((name) => name.replace(/^"|"$/g, '').toUpperCase())
      .filter(Boolean);
    if (!spec.fields.length) throw new Error(`${specifier} needs a list of field names`);
  } else if (fieldText !== undefined) {
    throw new Error(`invalid section "${text}": only HEADER.FIELDS takes a field list`);
  }
  return spec;
}

/** Finds the part a list of part numbers names, or null when there is none. */
export function resolvePart(root: MimePart, numbers: readonly number[]): MimePart | null {
  let current: MimePart | null = null;
  for (const number of numbers) {
    let container: MimePart | undefined;
    if (current === null) container = root;
    else if (current.kind === 'message') container = current.message;
    else if (current.kind === 'multipart') container = current;
    if (!container) return null;
    if (container.kind === 'multipart') current = container.children?.[number - 1] ?? null;
    else current = number === 1 ? container : null;
    if (!current) return null;
  }
  return current;
}

/** The message entity whose HEADER or TEXT a section means: the root, or an embedded message. */
function messageEntity(root: MimePart, numbers: readonly number[]): MimePart | null {
  if (!numbers.length) return root;
  const part = resolvePart(root, numbers);
  return part?.kind === 'message' ? (part.message ?? null) : null;
}

function applyPartial(length: number, partial: PartialRange | undefined): { skip: number; length: number } {
  if (!partial) return { skip: 0, length };
  const skip = Math.min(partial.start, length);
  return { skip, length: Math.min(length - skip, partial.length ?? Infinity) };
}

/** Selects header fields by name (HEADER.FIELDS) or all but those (HEADER.FIELDS.NOT), ending with a blank line. */
export function filterHeaderFields(header: Buffer, names: readonly string[], exclude: boolean): Buffer {
  const wanted = new Set(names.map((name) => name.toLowerCase()));
  const pieces: Buffer[] = [];
  for (const field of parseHeaderBlock(header)) {
    if (wanted.has(field.key) === exclude) continue;
    pieces.push(field.raw);
    if (field.raw[field.raw.length - 1] !== 0x0a) pieces.push(Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from('\r\n'));
  return Buffer.concat(pieces);
}

/**
 * Opens BODY[section]<partial>. Returns null when the section names nothing in this message
 * (the IMAP layer answers NIL or an empty string). Only the stored bodies it covers are opened.
 */
export function openSection(
  message: StoredSections,
  spec: SectionSpec,
  openBody: OpenBody,
  partial?: PartialRange,
): SectionContent | null {
  const { specifier } = spec;
  if (specifier === 'HEADER.FIELDS' || specifier === 'HEADER.FIELDS.NOT') {
    const entity = messageEntity(message.root, spec.part);
    if (!entity) return null;
    const bytes = filterHeaderFields(
      sliceInlineBytes(message.segments, entity.header),
      spec.fields ?? [],
      specifier === 'HEADER.FIELDS.NOT',
    );
    const { skip, length } = applyPartial(bytes.length, partial);
    return { length, stream: Readable.from([bytes.subarray(skip, skip + length)], { objectMode: false }) };
  }
  let range: { offset: number; length: number } | null = null;
  if (specifier === 'HEADER' || specifier === 'TEXT') {
    const entity = messageEntity(message.root, spec.part);
    if (entity) range = specifier === 'HEADER' ? entity.header : entity.body;
  } else if (!spec.part.length) {
    range = { offset: 0, length: message.size };
  } else {
    const part = resolvePart(message.root, spec.part);
    if (part) range = specifier === 'MIME' ? part.header : part.body;
  }
  if (!range) return null;
  const { skip, length } = applyPartial(range.length, partial);
  const start = range.offset + skip;
  return { length, stream: readMessageRange(message.segments, start, start + length, openBody) };
}
