// IMAP BODY and BODYSTRUCTURE (RFC 3501 7.4.2, RFC 9051 7.5.2) as stored data, and their wire lists.

import type { Envelope } from './envelope.js';
import { envelopeToImapList } from './envelope.js';
import type { ImapValue } from './imap-serialize.js';

/** A Content-Disposition as IMAP sends it: upper-case type and raw parameters. */
export interface BodyDisposition {
  type: string;
  params: [string, string][] | null;
}

/** Extension data shared by every body (BODYSTRUCTURE only). */
interface BodyExtension {
  disposition: BodyDisposition | null;
  language: string[] | null;
  location: string | null;
}

/** A non-multipart body: basic, text (with lines) or message/rfc822 (with envelope, body, lines). */
export interface SinglePartStructure extends BodyExtension {
  type: string;
  subtype: string;
  params: [string, string][] | null;
  id: string | null;
  description: string | null;
  encoding: string;
  size: number;
  /** Text lines, for text/* and message/rfc822 only. */
  lines?: number;
  /** message/rfc822 only: the embedded message's ENVELOPE and structure. */
  envelope?: Envelope;
  body?: BodyStructure;
  md5: string | null;
}

/** A multipart body: its parts and subtype, then extension data. */
export interface MultipartStructure extends BodyExtension {
  parts: BodyStructure[];
  subtype: string;
  params: [string, string][] | null;
}

/** The stored form of BODY/BODYSTRUCTURE for one entity. */
export type BodyStructure = SinglePartStructure | MultipartStructure;

/** True for a multipart structure. */
export function isMultipartStructure(structure: BodyStructure): structure is MultipartStructure {
  return 'parts' in structure;
}

/** What IMAP requires of a multipart without parts: one empty text/plain part (as Dovecot does). */
export const EMPTY_TEXT_PART: SinglePartStructure = {
  type: 'TEXT',
  subtype: 'PLAIN',
  params: [['CHARSET', 'us-ascii']],
  id: null,
  description: null,
  encoding: '7BIT',
  size: 0,
  lines: 0,
  md5: null,
  disposition: null,
  language: null,
  location: null,
};

function paramsToList(params: [string, string][] | null): ImapValue {
  return params && params.length ? params.flat() : null;
}

function extensionToList(ext: BodyExtension): ImapValue[] {
  const language = ext.language && ext.language.length === 1 ? (ext.language[0] ?? null) : ext.language;
  return [
    ext.disposition ? [ext.disposition.type, paramsToList(ext.disposition.params)] : null,
    language,
    ext.location,
  ];
}

/** BODY (`extensible` false) or BODYSTRUCTURE (`extensible` true) as a nested IMAP list. */
export function bodyStructureToImapList(structure: BodyStructure, extensible: boolean): ImapValue[] {
  if (isMultipartStructure(structure)) {
    const parts = structure.parts.length ? structure.parts : [EMPTY_TEXT_PART];
    const list: ImapValue[] = [{ adjacent: parts.map((part) => bodyStructureToImapList(part, extensible)) }];
    list.push(structure.subtype);
    if (extensible) list.push(paramsToList(structure.params), ...extensionToList(structure));
    return list;
  }
  const list: ImapValue[] = [
    structure.type,
    structure.subtype,
    paramsToList(structure.params),
    structure.id,
    structure.description,
    structure.encoding,
    structure.size,
  ];
  if (structure.envelope && structure.body) {
    list.push(envelopeToImapList(structure.envelope), bodyStructureToImapList(structure.body, extensible));
  }
  if (structure.lines !== undefined) list.push(structure.lines);
  if (extensible) list.push(structure.md5, ...extensionToList(structure));
  return list;
}
