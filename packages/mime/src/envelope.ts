// IMAP ENVELOPE (RFC 3501 7.4.2, RFC 9051 7.5.2) as stored data, and its conversion to a wire list.
// Header text is kept as received: encoded-words are not decoded, as the RFC requires.

import { parseAddressList } from './address.js';
import type { RawAddress } from './address.js';
import type { HeaderField } from './header-block.js';
import { allValues, firstValue } from './header-block.js';
import type { ImapValue } from './imap-serialize.js';

/** An ENVELOPE address; a group starts with `{mailbox: name, host: null}` and ends with all four null. */
export interface EnvelopeAddress {
  name: string | null;
  adl: string | null;
  mailbox: string | null;
  host: string | null;
}

/** The ENVELOPE fields, each null when the header is absent (sender and reply-to default to from). */
export interface Envelope {
  date: string | null;
  subject: string | null;
  from: EnvelopeAddress[] | null;
  sender: EnvelopeAddress[] | null;
  replyTo: EnvelopeAddress[] | null;
  to: EnvelopeAddress[] | null;
  cc: EnvelopeAddress[] | null;
  bcc: EnvelopeAddress[] | null;
  inReplyTo: string | null;
  messageId: string | null;
}

/** Flattens parsed addresses into ENVELOPE form with RFC 3501 group markers. */
export function toEnvelopeAddresses(list: readonly RawAddress[]): EnvelopeAddress[] | null {
  const out: EnvelopeAddress[] = [];
  for (const item of list) {
    if (item.kind === 'group') {
      out.push({ name: null, adl: null, mailbox: item.name, host: null });
      for (const member of item.members) {
        out.push({ name: member.name, adl: member.route, mailbox: member.mailbox, host: member.host });
      }
      out.push({ name: null, adl: null, mailbox: null, host: null });
    } else {
      out.push({ name: item.name, adl: item.route, mailbox: item.mailbox, host: item.host });
    }
  }
  return out.length ? out : null;
}

/** The addresses of every line of an address field, as Dovecot gives them (a second To: line is not lost). */
function addressField(fields: readonly HeaderField[], key: string): EnvelopeAddress[] | null {
  const values = allValues(fields, key);
  return values.length ? toEnvelopeAddresses(values.flatMap((value) => parseAddressList(value))) : null;
}

/** Builds the ENVELOPE of a message from its header fields. */
export function buildEnvelope(fields: readonly HeaderField[]): Envelope {
  const from = addressField(fields, 'from');
  return {
    date: firstValue(fields, 'date') ?? null,
    subject: firstValue(fields, 'subject') ?? null,
    from,
    sender: addressField(fields, 'sender') ?? from,
    replyTo: addressField(fields, 'reply-to') ?? from,
    to: addressField(fields, 'to'),
    cc: addressField(fields, 'cc'),
    bcc: addressField(fields, 'bcc'),
    inReplyTo: firstValue(fields, 'in-reply-to') ?? null,
    messageId: firstValue(fields, 'message-id') ?? null,
  };
}

/** RFC 3501 env-to = "(" 1*address ")": the addresses of a list follow each other with no space. */
function addressesToList(addresses: EnvelopeAddress[] | null): ImapValue {
  return addresses ? [{ adjacent: addresses.map((a) => [a.name, a.adl, a.mailbox, a.host]) }] : null;
}

/** The ENVELOPE as a nested IMAP list, ready for `serializeImapValue`. */
export function envelopeToImapList(envelope: Envelope): ImapValue[] {
  return [
    envelope.date,
    envelope.subject,
    addressesToList(envelope.from),
    addressesToList(envelope.sender),
    addressesToList(envelope.replyTo),
    addressesToList(envelope.to),
    addressesToList(envelope.cc),
    addressesToList(envelope.bcc),
    envelope.inReplyTo,
    envelope.messageId,
  ];
}
