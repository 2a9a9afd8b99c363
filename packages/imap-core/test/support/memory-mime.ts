// The memory backend's MIME handling: indexes messages with @wildduck/mime (as the real store
// does) and adapts its structures to the types of backend.ts.
import { Readable } from 'node:stream';
import {
  binarySection,
  indexMessage as indexWithMime,
  isMultipartStructure,
  openSection,
  type BodyStructure as MimeBodyStructure,
  type IndexedMessage as MimeIndexedMessage,
} from '@wildduck/mime';
import type {
  BodyStructure,
  Envelope,
  SectionRequest,
  SortAddress,
  SortRecord,
  UndecodableSection,
} from '../../src/backend.js';

/** The header part of a sort record (SORT, THREAD). */
export type SortFields = Omit<SortRecord, 'uid' | 'internalDate' | 'size'>;

/** What the memory backend keeps about a message's content. */
export interface IndexedMessage {
  envelope: Envelope;
  bodyStructure: BodyStructure;
  /** Decoded values of a top-level header field, for SEARCH HEADER/FROM/TO/... */
  headerValues(field: string): string[];
  /** The decoded body text, for SEARCH BODY. */
  bodyText: string;
  /** The Date header's own calendar day at UTC midnight, for SEARCH SENT*. */
  sentDate: Date | null;
  /** The section's bytes (partial applied), or null when the part does not exist. */
  section(spec: SectionRequest): { length: number; open(): Readable } | UndecodableSection | null;
  /** What SORT and THREAD compare, from the header. */
  sortFields: SortFields;
}

/** Indexes a whole message held in memory (every body stays inline: there is no sink). */
export async function indexMessage(raw: Buffer): Promise<IndexedMessage> {
  const indexed = await indexWithMime(Readable.from([raw]));
  return {
    envelope: indexed.envelope,
    bodyStructure: adaptStructure(indexed.bodyStructure),
    headerValues: (field) => headerValues(indexed, field),
    bodyText: indexed.bodyText.text,
    sentDate: calendarDay(indexed.envelope.date),
    section: (spec) => section(indexed, spec),
    sortFields: sortFields(indexed),
  };
}

function sortFields(indexed: MimeIndexedMessage): SortFields {
  const headers = indexed.headers;
  const first = (list: readonly { name: string; address: string }[]): SortAddress | null => {
    const address = list[0];
    if (!address) return null;
    const at = address.address.lastIndexOf('@');
    return at < 0
      ? { name: address.name, mailbox: address.address, host: '' }
      : { name: address.name, mailbox: address.address.slice(0, at), host: address.address.slice(at + 1) };
  };
  return {
    sentDate: headers.date ? headers.date.getTime() : null,
    subject: headers.subject,
    from: first(headers.from),
    to: first(headers.to),
    cc: first(headers.cc),
    messageId: headers.messageId,
    inReplyTo: headers.inReplyTo,
    references: headers.references,
  };
}

function section(
  indexed: MimeIndexedMessage,
  spec: SectionRequest,
): { length: number; open(): Readable } | UndecodableSection | null {
  const specifiers = {
    full: undefined,
    header: 'HEADER',
    text: 'TEXT',
    mime: 'MIME',
    'header.fields': 'HEADER.FIELDS',
    'header.fields.not': 'HEADER.FIELDS.NOT',
  } as const;
  const specifier = specifiers[spec.kind];
  const mimeSpec = {
    part: [...spec.part],
    ...(specifier ? { specifier } : {}),
    ...(spec.fields ? { fields: spec.fields.map((field) => field.toUpperCase()) } : {}),
  };
  const noExternalBodies = () => {
    throw new Error('the memory backend keeps every body inline');
  };
  const partial = spec.partial ? { start: spec.partial.start, length: spec.partial.length } : undefined;
  if (spec.binary) return binarySection(indexed, spec.part, noExternalBodies, partial);
  const content = openSection(indexed, mimeSpec, noExternalBodies, partial);
  if (!content) return null;
  return { length: content.length, open: () => content.stream };
}

function headerValues(indexed: MimeIndexedMessage, field: string): string[] {
  const key = field.toLowerCase();
  return indexed.headers.lines.filter((line) => line.key === key).map((line) => line.value);
}

/** @wildduck/mime keeps parameters as ordered pairs; backend.ts as records. */
function adaptStructure(structure: MimeBodyStructure): BodyStructure {
  const common = {
    parameters: Object.fromEntries(structure.params ?? []),
    disposition: structure.disposition
      ? {
          type: structure.disposition.type,
          parameters: Object.fromEntries(structure.disposition.params ?? []),
        }
      : null,
    language: structure.language,
    location: structure.location,
  };
  if (isMultipartStructure(structure)) {
    return {
      kind: 'multi',
      type: 'multipart',
      subtype: structure.subtype,
      ...common,
      children: structure.parts.map(adaptStructure),
    };
  }
  return {
    kind: 'single',
    type: structure.type,
    subtype: structure.subtype,
    ...common,
    id: structure.id,
    description: structure.description,
    encoding: structure.encoding,
    size: structure.size,
    ...(structure.lines !== undefined ? { lines: structure.lines } : {}),
    ...(structure.envelope && structure.body
      ? { message: { envelope: structure.envelope, body: adaptStructure(structure.body) } }
      : {}),
    md5: structure.md5,
  };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The Date header's own calendar day (zone disregarded, as SEARCH SENT* wants) at UTC midnight. */
function calendarDay(value: string | null): Date | null {
  const match = value ? /(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})/.exec(value) : null;
  if (!match) return null;
  const month = MONTHS.indexOf((match[2] as string).toLowerCase());
  return month < 0 ? null : new Date(Date.UTC(Number(match[3]), month, Number(match[1])));
}
