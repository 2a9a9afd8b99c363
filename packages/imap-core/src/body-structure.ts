// Serialises the backend's ENVELOPE and BODYSTRUCTURE data into response values, following the
// grammar of RFC 3501 section 9 (envelope, body, body-type-1part, body-type-mpart, body-ext-*).
import type { BodyStructure, Envelope, EnvelopeAddress } from './backend.js';
import {
  OutputBuilder,
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
    for (const child of body.children) writeBody(child, extended, options, out);
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

function addressList(addresses: readonly EnvelopeAddress[] | null): ImapValue {
  if (!addresses || addresses.length === 0) return null;
  return addresses.map((address) => [address.name, address.adl, address.mailbox, address.host]);
}

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
