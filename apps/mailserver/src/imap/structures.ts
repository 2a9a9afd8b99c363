import type {
  BodyStructure as CoreBodyStructure,
  Envelope as CoreEnvelope,
  SectionRequest,
} from '@wildduck/imap-core';
import {
  isMultipartStructure,
  type BodyStructure as MimeBodyStructure,
  type Envelope as MimeEnvelope,
  type PartialRange,
  type SectionSpec as MimeSectionSpec,
} from '@wildduck/mime';

/** ENVELOPE: the MIME package and the IMAP core describe it with the same fields. */
export function toCoreEnvelope(envelope: MimeEnvelope): CoreEnvelope {
  return envelope;
}

/** BODYSTRUCTURE as stored (parameter pairs, `parts`) into the IMAP core's form (parameter maps, `children`). */
export function toCoreBodyStructure(structure: MimeBodyStructure): CoreBodyStructure {
  const parameters = pairsToRecord(structure.params);
  const disposition = structure.disposition
    ? { type: structure.disposition.type, parameters: pairsToRecord(structure.disposition.params) }
    : null;
  const common = {
    subtype: structure.subtype,
    parameters,
    disposition,
    language: structure.language,
    location: structure.location,
  };
  if (isMultipartStructure(structure)) {
    // no parts stays no parts: the IMAP core sends one empty text/plain part in their place
    return {
      kind: 'multi',
      type: 'MULTIPART',
      ...common,
      children: structure.parts.map(toCoreBodyStructure),
    };
  }
  if (structure.type === 'MULTIPART') {
    // stored before the indexer kept a multipart without boundary a multipart: IMAP has no such
    // leaf, so it goes out as the multipart without parts the indexer now stores (which the IMAP
    // core sends with one empty part)
    return { kind: 'multi', type: 'MULTIPART', ...common, children: [] };
  }
  return {
    kind: 'single',
    type: structure.type,
    ...common,
    id: structure.id,
    description: structure.description,
    encoding: structure.encoding,
    size: structure.size,
    ...(structure.lines !== undefined ? { lines: structure.lines } : {}),
    ...(structure.envelope && structure.body
      ? { message: { envelope: structure.envelope, body: toCoreBodyStructure(structure.body) } }
      : {}),
    md5: structure.md5,
  };
}

function pairsToRecord(pairs: [string, string][] | null): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of pairs ?? []) record[name] = value;
  return record;
}

const specifiers = {
  full: undefined,
  header: 'HEADER',
  text: 'TEXT',
  mime: 'MIME',
  'header.fields': 'HEADER.FIELDS',
  'header.fields.not': 'HEADER.FIELDS.NOT',
} as const;

/** A FETCH section of the IMAP core as the MIME package's section readers take it. */
export function toMimeSection(section: SectionRequest): { spec: MimeSectionSpec; partial?: PartialRange } {
  const spec: MimeSectionSpec = { part: [...section.part] };
  const specifier = specifiers[section.kind];
  if (specifier) spec.specifier = specifier;
  if (section.fields) spec.fields = section.fields.map((field) => field.toUpperCase());
  return section.partial
    ? { spec, partial: { start: section.partial.start, length: section.partial.length } }
    : { spec };
}
