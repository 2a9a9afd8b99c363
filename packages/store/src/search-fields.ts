import type { Document } from 'mongodb';
import { envelopeAddressSearchText, sentDayOf, type Envelope } from '@wildduck/mime';

/**
 * The header part of a search document (`hdr`): the lower-cased search texts, the Date header's
 * instant and its sent day (the day as written, RFC 3501 6.4.4). A message document from an older
 * indexer has no `hdr.sentDay` and address texts of the first line only, without group names or
 * with raw encoded-words: for those the sent day and the address texts are derived here from the
 * stored ENVELOPE (raw header text), so a rebuilt search document answers like a new one.
 */
export function searchHeaderFields(message: Document): Document {
  const hdr = (message.hdr ?? {}) as Document;
  const search = (hdr.search ?? {}) as Document;
  if ('sentDay' in hdr) return { search, date: hdr.date ?? null, sentDay: hdr.sentDay ?? null };
  const envelope = message.envelope as Envelope | undefined;
  if (!envelope) return { search, date: hdr.date ?? null, sentDay: null };
  return {
    search: {
      ...search,
      from: envelopeAddressSearchText(envelope.from),
      to: envelopeAddressSearchText(envelope.to),
      cc: envelopeAddressSearchText(envelope.cc),
      bcc: envelopeAddressSearchText(envelope.bcc),
    },
    date: hdr.date ?? null,
    sentDay: sentDayOf(envelope.date),
  };
}
