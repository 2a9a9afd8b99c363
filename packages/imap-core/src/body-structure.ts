// Serialises the backend's ENVELOPE and BODYSTRUCTURE data into response values, following the
// grammar of RFC 3501 section 9 (envelope, body, body-type-1part, body-type-mpart, body-ext-*).
import type { BodyStructure, Envelope, EnvelopeAddress } from './backend.js';
import {
  OutputBuilder,
  adjacent,
  atom,
  encodeValue,
  encodeValues,
  type EncodeOptions,
  type ImapValue,
} from './writer/index.js';

/** `(date subject (from) (sender) (reply-to) (to) (cc) (bcc) in-reply-to message-id)`. */
export function envelopeValue(envelope: Envelope): ImapValue[] {
  return [
    envelope.date,
    envelope.subject,
    addressList(envelope.from),
    addressList(envelope.sender),
    addressList(envelope.replyTo),
    addressList(envelope.to),
    addressList(envelope.cc),
    addressList(envelope.bcc),
    envelope.inReplyTo,
    envelope.messageId,
  ];
}

/**
 * BODYSTRUCTURE (`extended` true) or the shorter BODY form, as one pre-encoded token: the
 * grammar puts no space between the parts of a multipart (`((...)(...) "mixed")`), which a
 * plain value list cannot express.
 */
export function bodyStructureValue(
  body: BodyStructure,
  extended: boolean,
  options: EncodeOptions,
): ImapValue {
  const out = new OutputBuilder();
  writeBody(body, extended, options, out);
  const bytes = Buffer.concat(out.finish().filter((piece): piece is Buffer => Buffer.isBuffer(piece)));
  return atom(bytes.toString('utf8'));
}

function writeBody(body: BodyStructure, extended: boolean, options: EncodeOptions, out: OutputBuilder): void {
  if (body.kind === 'multi') {
    out.write('(');
    // body-type-mpart = 1*body SP media-subtype: a multipart without parts gets one empty text/plain (as Dovecot)
    const children = body.children.length ? body.children : [EMPTY_TEXT_PART];
    for (const child of children) writeBody(child, extended, options, out);
    const rest: ImapValue[] = [body.subtype];
    if (extended)
      rest.push(parameterList(body.parameters), disposition(body), language(body.language), body.location);
    out.write(' ');
    encodeValues(rest, options, out);
    out.write(')');
    return;
  }
  out.write('(');
  encodeValues(
    [
      body.type,
      body.subtype,
      parameterList(body.parameters),
      body.id,
      body.description,
      body.encoding,
      body.size,
    ],
    options,
    out,
  );
  if (body.message) {
    out.write(' ');
    encodeValue(envelopeValue(body.message.envelope), options, out);
    out.write(' ');
    writeBody(body.message.body, extended, options, out);
  }
  const tail: ImapValue[] = [];
  if (body.lines !== undefined) tail.push(body.lines);
  if (extended) tail.push(body.md5, disposition(body), language(body.language), body.location);
  if (tail.length) {
    out.write(' ');
    encodeValues(tail, options, out);
  }
  out.write(')');
}

/** env-to = "(" 1*address ")": the addresses follow each other with no space (as Dovecot sends them). */
function addressList(addresses: readonly EnvelopeAddress[] | null): ImapValue {
  if (!addresses || addresses.length === 0) return null;
  return [adjacent(addresses.map((address) => [address.name, address.adl, address.mailbox, address.host]))];
}

const EMPTY_TEXT_PART: BodyStructure = {
  kind: 'single',
  type: 'TEXT',
  subtype: 'PLAIN',
  parameters: { CHARSET: 'us-ascii' },
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

function parameterList(parameters: Readonly<Record<string, string>>): ImapValue {
  const entries = Object.entries(parameters);
  return entries.length ? entries.flatMap(([key, value]) => [key, value]) : null;
}

function disposition(body: BodyStructure): ImapValue {
  return body.disposition ? [body.disposition.type, parameterList(body.disposition.parameters)] : null;
}

function language(languages: readonly string[] | null): ImapValue {
  if (!languages || languages.length === 0) return null;
  return languages.length === 1 ? (languages[0] as string) : [...languages];
}
