// Serialises the backend's ENVELOPE and BODYSTRUCTURE data into response values, following the
// grammar of RFC 3501 section 9 (envelope, body, body-type-1part, body-type-mpart, body-ext-*).
import type { BodyStructure, Envelope, EnvelopeAddress } from './backend.js';
import type { ImapValue } from './writer/index.js';

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

/** BODYSTRUCTURE (`extended` true) or the shorter BODY form without extension data. */
export function bodyStructureValue(body: BodyStructure, extended: boolean): ImapValue[] {
  if (body.kind === 'multi') {
    const value: ImapValue[] = [...body.children.map((child) => bodyStructureValue(child, extended)), body.subtype];
    if (extended) value.push(parameterList(body.parameters), disposition(body), language(body.language), body.location);
    return value;
  }
  const value: ImapValue[] = [
    body.type,
    body.subtype,
    parameterList(body.parameters),
    body.id,
    body.description,
    body.encoding,
    body.size,
  ];
  if (body.message) value.push(envelopeValue(body.message.envelope), bodyStructureValue(body.message.body, extended));
  if (body.lines !== undefined) value.push(body.lines);
  if (extended) value.push(body.md5, disposition(body), language(body.language), body.location);
  return value;
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
