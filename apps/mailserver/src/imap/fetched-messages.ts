/**
 * FETCH translated between the IMAP core and the store: which stored fields a FETCH needs, a
 * stored message record as the core's FetchedMessage (sections opened lazily from the MIME tree),
 * and the FETCHes a mailbox view answers without the store.
 */
import { binarySection, openSection } from '@wildduck/mime';
import type { FetchQuery, FetchedMessage, SectionContent, UndecodableSection } from '@wildduck/imap-core';
import type { MessageFields, MessageRecord, gridFsBodyOpener } from '@wildduck/store';
import type { MailboxView } from '@wildduck/mail-service';
import { toCoreBodyStructure, toCoreEnvelope, toMimeSection } from './structures.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Whether the mailbox view can answer the FETCH: flags, UID, MODSEQ, size and date only. */
export function viewCanFetch(query: FetchQuery): boolean {
  // EMAILID (the document's id) and SAVEDATE are not in the view: they read the messages
  return !(
    query.envelope ||
    query.bodyStructure ||
    query.preview ||
    query.emailId ||
    query.saveDate ||
    query.sections?.length
  );
}

/** The stored fields a FETCH reads. */
export function storeFieldsOf(query: FetchQuery): MessageFields {
  return {
    flags: !!query.flags,
    internalDate: !!query.internalDate,
    size: !!query.size,
    modseq: !!query.modseq,
    envelope: !!query.envelope,
    bodyStructure: !!query.bodyStructure,
    // PREVIEW: the snippet the webmail list shows
    preview: !!query.preview,
    saveDate: !!query.saveDate,
    // a FLAGS or ENVELOPE fetch never reads the MIME tree or any body
    content: !!query.sections?.length,
  };
}

/** A stored message as the core's FetchedMessage. */
export function toFetchedMessage(
  record: MessageRecord,
  query: FetchQuery,
  opener: ReturnType<typeof gridFsBodyOpener>,
): FetchedMessage {
  const message: Mutable<FetchedMessage> = { uid: record.uid };
  if (record.flags) message.flags = record.flags;
  if (record.internalDate) message.internalDate = record.internalDate;
  if (record.size !== undefined) message.size = record.size;
  if (query.modseq && record.modseq !== undefined) message.modseq = record.modseq;
  if (record.envelope) message.envelope = toCoreEnvelope(record.envelope);
  if (record.bodyStructure) message.bodyStructure = toCoreBodyStructure(record.bodyStructure);
  if (record.preview !== undefined) message.preview = record.preview;
  // OBJECTID (RFC 8474): the message document's id, the id the GraphQL API gives the message;
  // the store keeps no thread ids, so THREADID is NIL
  if (query.emailId) message.emailId = record.id.toHexString();
  if (query.threadId) message.threadId = null;
  if (record.saveDate) message.saveDate = record.saveDate;
  if (query.sections && record.content) {
    const content = record.content;
    message.sections = query.sections.map((section): SectionContent | UndecodableSection | null => {
      const { spec, partial } = toMimeSection(section);
      // BINARY: decoded lazily, so BINARY.SIZE (the indexed decoded size) reads no body
      if (section.binary) return binarySection(content, spec.part, opener, partial);
      const opened = openSection(content, spec, opener, partial);
      return opened ? { length: opened.length, open: () => opened.stream } : null;
    });
  }
  return message;
}

/** FETCH of FLAGS, UID, MODSEQ, RFC822.SIZE and INTERNALDATE, answered by the mailbox view. */
export function* fetchFromView(
  view: MailboxView,
  uids: readonly number[],
  query: FetchQuery,
): Iterable<FetchedMessage> {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  for (const uid of sorted) {
    const entry = view.get(uid);
    if (!entry) continue;
    if (query.changedSince !== undefined && entry.modseq <= query.changedSince) continue;
    const message: Mutable<FetchedMessage> = { uid };
    if (query.flags) message.flags = entry.flags;
    if (query.internalDate) message.internalDate = new Date(entry.internalDate);
    if (query.size) message.size = entry.size;
    if (query.modseq) message.modseq = entry.modseq;
    if (query.threadId) message.threadId = null;
    yield message;
  }
}
