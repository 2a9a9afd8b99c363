/**
 * A reader's own \Seen in another user's shared mailbox (store private-seen.ts), where the store's
 * answers carry the owner's: SEARCH keys on \Seen become UID sets of what the reader has seen, and
 * FETCHed flags get the reader's \Seen.
 */
import type { FetchedMessage, SearchQuery } from '@wildduck/imap-core';
import { readerFlags } from '@wildduck/store';

/** The query with every `SEEN`/`UNSEEN` key asking the reader's seen UIDs instead of the message's flag. */
export function withReaderSeen(query: SearchQuery, seenUids: readonly number[]): SearchQuery {
  switch (query.type) {
    case 'flag': {
      if (query.flag.toLowerCase() !== '\\seen') return query;
      const seen: SearchQuery = { type: 'uid', uids: seenUids };
      return query.set ? seen : { type: 'not', key: seen };
    }
    case 'and':
      return { type: 'and', keys: query.keys.map((key) => withReaderSeen(key, seenUids)) };
    case 'or':
      return {
        type: 'or',
        left: withReaderSeen(query.left, seenUids),
        right: withReaderSeen(query.right, seenUids),
      };
    case 'not':
      return { type: 'not', key: withReaderSeen(query.key, seenUids) };
    default:
      return query;
  }
}

/** True when the query has a key on \Seen anywhere. */
export function asksSeen(query: SearchQuery): boolean {
  switch (query.type) {
    case 'flag':
      return query.flag.toLowerCase() === '\\seen';
    case 'and':
      return query.keys.some(asksSeen);
    case 'or':
      return asksSeen(query.left) || asksSeen(query.right);
    case 'not':
      return asksSeen(query.key);
    default:
      return false;
  }
}

/** A FETCHed message with the reader's \Seen in its flags (when it has flags). */
export function withSeenOf(message: FetchedMessage, seen: (uid: number) => boolean): FetchedMessage {
  return message.flags ? { ...message, flags: readerFlags(message.flags, seen(message.uid)) } : message;
}
