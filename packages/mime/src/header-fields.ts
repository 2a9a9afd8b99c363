// The header fields SEARCH and a webmail list need: decoded for display and lower-cased for search.

import { parseAddressList } from './address.js';
import type { RawAddress } from './address.js';
import type { EnvelopeAddress } from './envelope.js';
import { decodeEncodedWords } from './encoded-words.js';
import type { HeaderField } from './header-block.js';
import { allValues, firstValue } from './header-block.js';
import { sentDayOf } from './sent-day.js';

/** A decoded address for display and search: name with encoded-words decoded, lower-case address. */
export interface ParsedAddress {
  name: string;
  address: string;
  /** The group it was listed in, when any. */
  group?: string;
}

/** A header field decoded and lower-cased, for SEARCH HEADER. */
export interface SearchableHeaderLine {
  key: string;
  value: string;
}

/** Top-level header data a message document keeps for SEARCH and the webmail list. */
export interface SearchHeaders {
  /** Decoded subject for display ('' when absent). */
  subject: string;
  from: ParsedAddress[];
  to: ParsedAddress[];
  cc: ParsedAddress[];
  bcc: ParsedAddress[];
  replyTo: ParsedAddress[];
  /** The Date header parsed, null when absent or unparseable. */
  date: Date | null;
  /** Midnight UTC of the day written in the Date header (SENTON and friends ignore time and zone). */
  sentDay: Date | null;
  messageId: string;
  inReplyTo: string;
  /** Message-IDs listed in References, in order. */
  references: string[];
  /** Decoded, lower-cased texts for substring search (SEARCH FROM/TO/CC/BCC/SUBJECT). */
  search: {
    from: string;
    to: string;
    cc: string;
    bcc: string;
    subject: string;
    messageId: string;
    inReplyTo: string;
    references: string;
  };
  /** Every field, decoded and lower-cased, values cut at 1024 characters, 64 Ki characters in all (SEARCH HEADER). */
  lines: SearchableHeaderLine[];
}

const MAX_SEARCH_VALUE = 1024;
/** The searchable field list stops after this many characters in all, to bound the document. */
const MAX_SEARCH_LINES_TOTAL = 64 * 1024;

function decodedAddresses(values: readonly string[]): ParsedAddress[] {
  const out: ParsedAddress[] = [];
  const add = (item: RawAddress, group?: string): void => {
    if (item.kind === 'group') {
      for (const member of item.members) add(member, decodeEncodedWords(item.name));
      return;
    }
    const address = item.host ? `${item.mailbox ?? ''}@${item.host}` : (item.mailbox ?? '');
    const parsed: ParsedAddress = {
      name: decodeEncodedWords(item.name ?? ''),
      address: address.toLowerCase(),
    };
    if (group !== undefined) parsed.group = group;
    out.push(parsed);
  };
  for (const value of values) for (const item of parseAddressList(value)) add(item);
  return out;
}

/**
 * What FROM / TO / CC / BCC match, lower-cased: every address of every line of the field as
 * `name <mailbox@domain>`, names decoded, and each group's name before its members
 * (`team: a@b, c@d;`), so a search finds a group by its name, empty groups included.
 */
export function addressSearchText(values: readonly string[]): string {
  const mailboxText = (item: RawAddress & { kind: 'mailbox' }): string => {
    const address = item.host ? `${item.mailbox ?? ''}@${item.host}` : (item.mailbox ?? '');
    const name = decodeEncodedWords(item.name ?? '');
    return name ? `${name} <${address}>` : address;
  };
  const entries: string[] = [];
  for (const value of values) {
    for (const item of parseAddressList(value)) {
      entries.push(
        item.kind === 'group'
          ? `${decodeEncodedWords(item.name)}: ${item.members.map(mailboxText).join(', ')};`
          : mailboxText(item),
      );
    }
  }
  return entries.join(', ').toLowerCase();
}

/**
 * The same text from a stored ENVELOPE address list (group markers as RFC 3501 has them, header
 * text raw): what a message indexed before `addressSearchText` saw every line is searched by.
 */
export function envelopeAddressSearchText(addresses: readonly EnvelopeAddress[] | null): string {
  const mailboxText = (item: EnvelopeAddress): string => {
    const address = item.host ? `${item.mailbox ?? ''}@${item.host}` : (item.mailbox ?? '');
    const name = decodeEncodedWords(item.name ?? '');
    return name ? `${name} <${address}>` : address;
  };
  const entries: string[] = [];
  let group: { name: string; members: string[] } | null = null;
  for (const item of addresses ?? []) {
    if (item.host === null && item.mailbox !== null) {
      group = { name: decodeEncodedWords(item.mailbox), members: [] };
    } else if (item.host === null && item.mailbox === null) {
      if (group) entries.push(`${group.name}: ${group.members.join(', ')};`);
      group = null;
    } else if (group) {
      group.members.push(mailboxText(item));
    } else {
      entries.push(mailboxText(item));
    }
  }
  if (group) entries.push(`${group.name}: ${group.members.join(', ')};`);
  return entries.join(', ').toLowerCase();
}

/** Parses an RFC 5322 date (comments and odd spacing tolerated); null when it makes no sense. */
export function parseMailDate(value: string | undefined): Date | null {
  if (!value) return null;
  const cleaned = value
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/([+-]\d{4})\s.*$/, '$1');
  const time = Date.parse(cleaned);
  return Number.isNaN(time) ? null : new Date(time);
}

/** Extracts `<...>` message ids from a References or In-Reply-To value. */
export function parseMessageIds(value: string | undefined): string[] {
  if (!value) return [];
  return value.match(/<[^<>]*>/g) ?? [];
}

function searchableLines(fields: readonly HeaderField[]): SearchableHeaderLine[] {
  const lines: SearchableHeaderLine[] = [];
  let total = 0;
  for (const field of fields) {
    if (!field.key) continue;
    const value = decodeEncodedWords(field.value).toLowerCase().slice(0, MAX_SEARCH_VALUE);
    total += field.key.length + value.length;
    if (total > MAX_SEARCH_LINES_TOTAL) break;
    lines.push({ key: field.key, value });
  }
  return lines;
}

/** Builds the search and display header data of a message from its header fields. */
export function buildSearchHeaders(fields: readonly HeaderField[]): SearchHeaders {
  const subject = decodeEncodedWords(firstValue(fields, 'subject') ?? '');
  // every line of an address field counts (a second To: line is not lost), as in ENVELOPE
  const from = decodedAddresses(allValues(fields, 'from'));
  const to = decodedAddresses(allValues(fields, 'to'));
  const cc = decodedAddresses(allValues(fields, 'cc'));
  const bcc = decodedAddresses(allValues(fields, 'bcc'));
  const messageId = (firstValue(fields, 'message-id') ?? '').trim();
  const inReplyTo = (firstValue(fields, 'in-reply-to') ?? '').trim();
  const references = parseMessageIds(
    fields
      .filter((f) => f.key === 'references')
      .map((f) => f.value)
      .join(' '),
  );
  return {
    subject,
    from,
    to,
    cc,
    bcc,
    replyTo: decodedAddresses(allValues(fields, 'reply-to')),
    date: parseMailDate(firstValue(fields, 'date')),
    sentDay: sentDayOf(firstValue(fields, 'date')),
    messageId,
    inReplyTo,
    references,
    search: {
      from: addressSearchText(allValues(fields, 'from')),
      to: addressSearchText(allValues(fields, 'to')),
      cc: addressSearchText(allValues(fields, 'cc')),
      bcc: addressSearchText(allValues(fields, 'bcc')),
      subject: subject.toLowerCase(),
      messageId: messageId.toLowerCase(),
      inReplyTo: inReplyTo.toLowerCase(),
      references: references.join(' ').toLowerCase(),
    },
    lines: searchableLines(fields),
  };
}
