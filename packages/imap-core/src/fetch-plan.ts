// Plans a FETCH: which items the backend must read (FetchQuery) and in which order the core
// writes them back, with the names the response uses (RFC 3501 7.4.2).
import type { FetchQuery, SectionRequest } from './backend.js';
import type { FetchItem, PartialRange, SectionSpec } from './parser/types.js';
import { fetchResponseName } from './writer/index.js';

/** One item of the FETCH response, in the order the client asked. */
export type PlannedItem =
  | {
      kind:
        | 'UID'
        | 'FLAGS'
        | 'INTERNALDATE'
        | 'RFC822.SIZE'
        | 'ENVELOPE'
        | 'BODYSTRUCTURE'
        | 'BODY'
        | 'MODSEQ'
        | 'PREVIEW'
        | 'EMAILID'
        | 'THREADID'
        | 'SAVEDATE';
    }
  /**
   * A body section; `index` points into `FetchQuery.sections`, `name` is how the response names it;
   * `binary` for BINARY[] (decoded content, sent as literal8 when it holds NUL).
   */
  | { kind: 'section'; index: number; name: string; binary?: boolean }
  /** BINARY.SIZE[]: the decoded length of the section at `index`, which is never opened. */
  | { kind: 'binary-size'; index: number; name: string };

/** The backend query, the response items, and whether the fetch sets `\Seen`. */
export interface FetchPlan {
  query: FetchQuery;
  items: PlannedItem[];
  /** A non-PEEK body section was asked: the messages get `\Seen` (RFC 3501 6.4.5). */
  marksSeen: boolean;
}

/** Builds the plan; `withModseq` adds MODSEQ as CONDSTORE requires once enabled (RFC 7162 3.1.4.1). */
export function planFetch(
  requested: readonly FetchItem[],
  options: { uid: boolean; withModseq: boolean },
): FetchPlan {
  const items: PlannedItem[] = [];
  const sections: SectionRequest[] = [];
  const query: { -readonly [K in keyof FetchQuery]: FetchQuery[K] } = {};
  let marksSeen = false;
  const add = (item: PlannedItem) => {
    if (item.kind !== 'section' && items.some((existing) => existing.kind === item.kind)) return;
    items.push(item);
  };
  // UID FETCH always returns UID (RFC 3501 6.4.8), and first reads best.
  if (options.uid) add({ kind: 'UID' });
  for (const item of requested) {
    switch (item.item) {
      case 'UID':
        add({ kind: 'UID' });
        break;
      case 'FLAGS':
        query.flags = true;
        add({ kind: 'FLAGS' });
        break;
      case 'INTERNALDATE':
        query.internalDate = true;
        add({ kind: 'INTERNALDATE' });
        break;
      case 'RFC822.SIZE':
        query.size = true;
        add({ kind: 'RFC822.SIZE' });
        break;
      case 'ENVELOPE':
        query.envelope = true;
        add({ kind: 'ENVELOPE' });
        break;
      case 'BODYSTRUCTURE':
        query.bodyStructure = true;
        add({ kind: 'BODYSTRUCTURE' });
        break;
      case 'BODY':
        query.bodyStructure = true;
        add({ kind: 'BODY' });
        break;
      case 'MODSEQ':
        query.modseq = true;
        add({ kind: 'MODSEQ' });
        break;
      case 'EMAILID':
        query.emailId = true;
        add({ kind: 'EMAILID' });
        break;
      case 'THREADID':
        query.threadId = true;
        add({ kind: 'THREADID' });
        break;
      case 'SAVEDATE':
        query.saveDate = true;
        add({ kind: 'SAVEDATE' });
        break;
      case 'PREVIEW':
        // LAZY lets a server answer NIL rather than compute; ours is computed at delivery, so both
        // forms get the text
        query.preview = true;
        add({ kind: 'PREVIEW' });
        break;
      case 'RFC822':
        marksSeen = true;
        sections.push({ part: [], kind: 'full' });
        items.push({ kind: 'section', index: sections.length - 1, name: 'RFC822' });
        break;
      case 'RFC822.HEADER':
        sections.push({ part: [], kind: 'header' });
        items.push({ kind: 'section', index: sections.length - 1, name: 'RFC822.HEADER' });
        break;
      case 'RFC822.TEXT':
        marksSeen = true;
        sections.push({ part: [], kind: 'text' });
        items.push({ kind: 'section', index: sections.length - 1, name: 'RFC822.TEXT' });
        break;
      case 'BODY[]':
        if (!item.peek) marksSeen = true;
        sections.push(toBackendSection(item.section, item.partial));
        items.push({
          kind: 'section',
          index: sections.length - 1,
          name: fetchResponseName(item),
        });
        break;
      case 'BINARY[]':
        if (!item.peek) marksSeen = true;
        sections.push({
          part: item.part,
          kind: 'full',
          binary: true,
          ...(item.partial ? { partial: { start: item.partial.offset, length: item.partial.length } } : {}),
        });
        items.push({
          kind: 'section',
          index: sections.length - 1,
          name: fetchResponseName(item),
          binary: true,
        });
        break;
      case 'BINARY.SIZE':
        sections.push({ part: item.part, kind: 'full', binary: true });
        items.push({ kind: 'binary-size', index: sections.length - 1, name: fetchResponseName(item) });
        break;
    }
  }
  if (options.withModseq && !items.some((item) => item.kind === 'MODSEQ')) {
    query.modseq = true;
    items.push({ kind: 'MODSEQ' });
  }
  if (marksSeen) query.flags = true;
  if (sections.length) query.sections = sections;
  return { query, items, marksSeen };
}

function toBackendSection(section: SectionSpec, partial: PartialRange | null): SectionRequest {
  const kinds = {
    HEADER: 'header',
    'HEADER.FIELDS': 'header.fields',
    'HEADER.FIELDS.NOT': 'header.fields.not',
    TEXT: 'text',
    MIME: 'mime',
  } as const;
  return {
    part: section.part,
    kind: section.specifier ? kinds[section.specifier] : 'full',
    ...(section.fields.length ? { fields: section.fields } : {}),
    ...(partial ? { partial: { start: partial.offset, length: partial.length } } : {}),
  };
}
