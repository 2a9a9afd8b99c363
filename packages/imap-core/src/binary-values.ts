// The BINARY[] and BINARY.SIZE[] values of one fetched message (RFC 3516 4.3): decoded content as
// a literal, a literal8 (`~{n}`) when it holds NUL; or why the message's BINARY items fail.
import type { FetchedMessage, SectionContent, UndecodableSection } from './backend.js';
import type { FetchPlan } from './fetch-plan.js';
import { literal, type ImapValue } from './writer/index.js';

/**
 * Content up to this size is read before it is written, to tell a string from a literal8 (the
 * RFC's SHOULD: NUL-free data as a string). Larger content streams as a literal8, which the
 * grammar always allows for BINARY, without being held in memory.
 */
const INSPECTED_BYTES = 256 * 1024;

/** The values by section index, or the reason (the first met) the message's BINARY items fail. */
export interface BinaryValues {
  values: Map<number, ImapValue>;
  failure: UndecodableSection['undecodable'] | null;
}

/** Resolves every BINARY item of `plan` for `message`; other items are left to the caller. */
export async function binaryValues(plan: FetchPlan, message: FetchedMessage): Promise<BinaryValues> {
  const values = new Map<number, ImapValue>();
  let failure: BinaryValues['failure'] = null;
  for (const item of plan.items) {
    const binaryContent = item.kind === 'section' && item.binary;
    if (!binaryContent && item.kind !== 'binary-size') continue;
    const entry = message.sections?.[item.index] ?? null;
    if (entry !== null && 'undecodable' in entry) {
      failure ??= entry.undecodable;
      continue;
    }
    if (item.kind === 'binary-size') values.set(item.index, entry?.length ?? 0);
    else values.set(item.index, entry ? await contentValue(entry) : null);
  }
  return { values, failure };
}

async function contentValue(content: SectionContent): Promise<ImapValue> {
  if (content.length > INSPECTED_BYTES) return literal(content.open(), content.length, true);
  const chunks: Buffer[] = [];
  for await (const chunk of content.open()) chunks.push(Buffer.from(chunk as Uint8Array));
  const bytes = Buffer.concat(chunks);
  if (bytes.length !== content.length)
    throw new RangeError(`BINARY content gave ${bytes.length} of the announced ${content.length} bytes`);
  return literal(bytes, bytes.length, bytes.includes(0));
}
