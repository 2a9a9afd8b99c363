// Turns an entity whose header and body extents are known into its MimePart and BodyStructure.

import type { BodyStructure, SinglePartStructure } from './bodystructure.js';
import { buildEnvelope } from './envelope.js';
import type { HeaderField } from './header-block.js';
import type { MimePart, MimePartKind } from './model.js';
import type { PartHeaderFacts } from './part-header.js';

/** The facts about one entity that the splitter gathered. */
export interface EntityFacts {
  path: string;
  kind: MimePartKind;
  fields: HeaderField[];
  header: PartHeaderFacts;
  headerStart: number;
  headerLength: number;
  bodyStart: number;
  bodyLength: number;
  lines: number;
  /** Leaf body details from its collector. */
  bodySha256?: string;
  decodedSize?: number;
  children: { part: MimePart; structure: BodyStructure }[];
  embedded?: { part: MimePart; structure: BodyStructure; fields: HeaderField[] };
}

/** Builds the tree node of an entity. */
export function buildMimePart(facts: EntityFacts): MimePart {
  const part: MimePart = {
    path: facts.path,
    kind: facts.kind,
    header: { offset: facts.headerStart, length: facts.headerLength },
    body: { offset: facts.bodyStart, length: facts.bodyLength },
    lines: facts.lines,
    ...facts.header.describe,
  };
  if (facts.kind === 'leaf') {
    if (facts.decodedSize !== undefined) part.decodedSize = facts.decodedSize;
    if (facts.bodySha256 !== undefined) part.bodySha256 = facts.bodySha256;
  }
  if (facts.kind === 'multipart') part.children = facts.children.map((child) => child.part);
  if (facts.kind === 'message' && facts.embedded) part.message = facts.embedded.part;
  return part;
}

/** Builds the BODYSTRUCTURE of an entity. */
export function buildBodyStructure(facts: EntityFacts): BodyStructure {
  const raw = facts.header.structure;
  if (facts.kind === 'multipart') {
    return {
      parts: facts.children.map((child) => child.structure),
      subtype: raw.subtype,
      params: raw.params,
      disposition: raw.disposition,
      language: raw.language,
      location: raw.location,
    };
  }
  if (raw.type === 'MULTIPART') {
    // A multipart kept as a leaf (nested too deep): still a multipart on the wire, with no parts.
    return {
      parts: [],
      subtype: raw.subtype,
      params: raw.params,
      disposition: raw.disposition,
      language: raw.language,
      location: raw.location,
    };
  }
  const single: SinglePartStructure = { ...raw, size: facts.bodyLength };
  if (facts.kind === 'message' && facts.embedded) {
    single.envelope = buildEnvelope(facts.embedded.fields);
    single.body = facts.embedded.structure;
    single.lines = facts.lines;
  } else if (raw.type === 'MESSAGE' && raw.subtype === 'RFC822') {
    // An encoded message/rfc822 cannot be parsed, and IMAP's MESSAGE/RFC822 form needs an
    // envelope: describe it as opaque data so clients do not misread the list.
    single.type = 'APPLICATION';
    single.subtype = 'OCTET-STREAM';
  } else if (raw.type === 'TEXT') {
    single.lines = facts.lines;
  }
  return single;
}
