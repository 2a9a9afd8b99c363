// The smallest honest MIME handling the memory backend needs: splits a message into its part
// tree, and answers ENVELOPE, BODYSTRUCTURE and BODY[section] from it. Good for the well-formed
// test messages; the production store uses @wildduck/mime instead.
import type { BodyStructure, Envelope, EnvelopeAddress, SectionRequest } from '../../src/backend.js';

/** What the memory backend keeps about a message's content. */
export interface IndexedMessage {
  envelope: Envelope;
  bodyStructure: BodyStructure;
  /** Unfolded values of a header field of the top-level header. */
  headerValues(field: string): string[];
  /** The body as text (undecoded), for SEARCH BODY. */
  bodyText: string;
  /** The Date header, for SEARCH SENT*. */
  sentDate: Date | null;
  /** Bytes of a section (before any partial range), or null when the part does not exist. */
  section(spec: SectionRequest): Buffer | null;
}

interface HeaderLine {
  key: string;
  value: string;
  raw: Buffer;
}

interface MimeNode {
  header: Buffer;
  headers: HeaderLine[];
  body: Buffer;
  type: string;
  subtype: string;
  parameters: Record<string, string>;
  children: MimeNode[];
  /** The enclosed message of a message/rfc822 part. */
  message: MimeNode | null;
}

/** Parses a raw message into what the memory backend needs. */
export function indexMessage(raw: Buffer): IndexedMessage {
  const root = parseNode(raw, 'text/plain');
  return {
    envelope: envelopeOf(root),
    bodyStructure: structureOf(root),
    headerValues: (field) => values(root, field),
    bodyText: root.body.toString('utf8'),
    sentDate: calendarDay(values(root, 'date')[0]),
    section: (spec) => sectionOf(raw, root, spec),
  };
}

function parseNode(raw: Buffer, defaultType: string): MimeNode {
  const split = findHeaderEnd(raw);
  const header = raw.subarray(0, split);
  const body = raw.subarray(split);
  const headers = parseHeaders(header);
  const contentType = headers.find((line) => line.key === 'content-type')?.value ?? defaultType;
  const { value, parameters } = parseParameterised(contentType);
  const [type = 'text', subtype = 'plain'] = value.toLowerCase().split('/');
  const node: MimeNode = { header, headers, body, type, subtype, parameters, children: [], message: null };
  if (type === 'multipart' && parameters.boundary) {
    const childDefault = subtype === 'digest' ? 'message/rfc822' : 'text/plain';
    node.children = splitMultipart(body, parameters.boundary).map((part) => parseNode(part, childDefault));
  } else if (type === 'message' && subtype === 'rfc822') {
    node.message = parseNode(body, 'text/plain');
  }
  return node;
}

/** Index just past the blank line ending the header (the header keeps it). */
function findHeaderEnd(raw: Buffer): number {
  if (raw.subarray(0, 2).toString() === '\r\n') return 2;
  if (raw[0] === 0x0a) return 1;
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return crlf + 4;
  if (lf >= 0) return lf + 2;
  return raw.length;
}

function parseHeaders(header: Buffer): HeaderLine[] {
  const lines: HeaderLine[] = [];
  const text = header.toString('latin1');
  const pattern = /([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)\r?\n/g;
  for (const match of text.matchAll(pattern)) {
    const line = match[0];
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    lines.push({
      key: line.slice(0, colon).trim().toLowerCase(),
      // Raw 8-bit header bytes are taken as UTF-8 (RFC 6532).
      value: Buffer.from(
        line
          .slice(colon + 1)
          .replace(/\r?\n[ \t]/g, ' ')
          .trim(),
        'latin1',
      ).toString('utf8'),
      raw: Buffer.from(line, 'latin1'),
    });
  }
  return lines;
}

function parseParameterised(text: string): { value: string; parameters: Record<string, string> } {
  const [value = '', ...rest] = text.split(';');
  const parameters: Record<string, string> = {};
  for (const item of rest) {
    const equals = item.indexOf('=');
    if (equals < 0) continue;
    const key = item.slice(0, equals).trim().toLowerCase();
    parameters[key] = item
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
  }
  return { value: value.trim(), parameters };
}

function splitMultipart(body: Buffer, boundary: string): Buffer[] {
  const text = body.toString('latin1');
  const delimiter = new RegExp(
    `(^|\\r?\\n)--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(--)?[ \\t]*(\\r?\\n|$)`,
    'g',
  );
  const parts: Buffer[] = [];
  let start = -1;
  for (const match of text.matchAll(delimiter)) {
    if (start >= 0) parts.push(body.subarray(start, match.index));
    if (match[2]) return parts;
    start = (match.index ?? 0) + match[0].length;
  }
  return parts;
}

function values(node: MimeNode, field: string): string[] {
  const key = field.toLowerCase();
  return node.headers.filter((line) => line.key === key).map((line) => line.value);
}

function envelopeOf(node: MimeNode): Envelope {
  const first = (field: string) => values(node, field)[0] ?? null;
  const from = addresses(first('from'));
  return {
    date: first('date'),
    subject: first('subject'),
    from,
    sender: addresses(first('sender')) ?? from,
    replyTo: addresses(first('reply-to')) ?? from,
    to: addresses(first('to')),
    cc: addresses(first('cc')),
    bcc: addresses(first('bcc')),
    inReplyTo: first('in-reply-to'),
    messageId: first('message-id'),
  };
}

/** Parses `Name <user@host>, user@host` lists; groups are not needed by the tests. */
function addresses(text: string | null): EnvelopeAddress[] | null {
  if (!text) return null;
  const result: EnvelopeAddress[] = [];
  for (const item of text.match(/(?:"[^"]*"|[^,])+/g) ?? []) {
    const angle = /^(.*)<([^>]*)>\s*$/.exec(item.trim());
    const name = angle ? angle[1]!.trim().replace(/^"(.*)"$/, '$1') : '';
    const address = (angle ? angle[2]! : item).trim();
    const at = address.lastIndexOf('@');
    result.push({
      name: name || null,
      adl: null,
      mailbox: at >= 0 ? address.slice(0, at) : address,
      host: at >= 0 ? address.slice(at + 1) : null,
    });
  }
  return result.length ? result : null;
}

function structureOf(node: MimeNode): BodyStructure {
  const disposition = values(node, 'content-disposition')[0];
  const parsedDisposition = disposition ? parseParameterised(disposition) : null;
  const language = values(node, 'content-language')[0];
  const common = {
    type: node.type,
    subtype: node.subtype,
    parameters: node.parameters,
    disposition: parsedDisposition
      ? { type: parsedDisposition.value, parameters: parsedDisposition.parameters }
      : null,
    language: language ? language.split(',').map((tag) => tag.trim()) : null,
    location: values(node, 'content-location')[0] ?? null,
  };
  if (node.type === 'multipart') {
    const parameters = { ...node.parameters };
    return { kind: 'multi', ...common, parameters, children: node.children.map(structureOf) };
  }
  const lines = countLines(node.body);
  return {
    kind: 'single',
    ...common,
    id: values(node, 'content-id')[0] ?? null,
    description: values(node, 'content-description')[0] ?? null,
    encoding: (values(node, 'content-transfer-encoding')[0] ?? '7bit').toLowerCase(),
    size: node.body.length,
    ...(node.type === 'text' || node.message ? { lines } : {}),
    ...(node.message
      ? { message: { envelope: envelopeOf(node.message), body: structureOf(node.message) } }
      : {}),
    md5: values(node, 'content-md5')[0] ?? null,
  };
}

function sectionOf(raw: Buffer, root: MimeNode, spec: SectionRequest): Buffer | null {
  if (spec.part.length === 0) return messageSection(raw, root, spec);
  let node: MimeNode | null = root;
  for (const index of spec.part) {
    if (!node) return null;
    const container: MimeNode = node.message ?? node;
    if (container.type === 'multipart') node = container.children[index - 1] ?? null;
    else node = index === 1 ? container : null;
  }
  if (!node) return null;
  if (spec.kind === 'mime') return node.header;
  if (spec.kind === 'full') return node.body;
  if (!node.message) return null;
  return messageSection(node.body, node.message, spec);
}

/** HEADER, TEXT, HEADER.FIELDS and the whole of a message (top level or message/rfc822). */
function messageSection(raw: Buffer, message: MimeNode, spec: SectionRequest): Buffer | null {
  switch (spec.kind) {
    case 'full':
      return raw;
    case 'header':
      return message.header;
    case 'text':
      return message.body;
    case 'header.fields':
    case 'header.fields.not': {
      const wanted = new Set((spec.fields ?? []).map((field) => field.toLowerCase()));
      const keep = spec.kind === 'header.fields';
      const lines = message.headers.filter((line) => wanted.has(line.key) === keep).map((line) => line.raw);
      return Buffer.concat([...lines, Buffer.from('\r\n')]);
    }
    case 'mime':
      return null;
  }
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The Date header's own calendar day (zone disregarded, as SEARCH SENT* wants) at UTC midnight. */
function calendarDay(value: string | undefined): Date | null {
  const match = value ? /(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})/.exec(value) : null;
  if (!match) return null;
  const month = MONTHS.indexOf((match[2] as string).toLowerCase());
  return month < 0 ? null : new Date(Date.UTC(Number(match[3]), month, Number(match[1])));
}

/** Lines of a body: line breaks, plus one for a last line without a break. */
function countLines(body: Buffer): number {
  let lines = 0;
  for (const byte of body) if (byte === 0x0a) lines += 1;
  return body.length > 0 && body[body.length - 1] !== 0x0a ? lines + 1 : lines;
}
