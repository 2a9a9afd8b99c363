// CATENATE (RFC 4469): a message made of literal text and parts of messages the user already has,
// named by IMAP URLs. Every URL is checked (mailbox, UIDVALIDITY, UID, section) before anything is
// stored, so the total size is known up front; the bytes are then streamed part after part into
// the store, each URL's content read from the store only when its turn comes.
import { Readable } from 'node:stream';
import type { ImapUser, SectionContent } from './backend.js';
import type { CommandSession } from './command-handler.js';
import { parseMessageUrl } from './imap-url.js';
import type { CatenatePart } from './parser/types.js';
import { atom, type ResponseCode } from './writer/index.js';

/** The composed message, or the first URL that could not be followed. */
export type Catenated = { size: number; open(): Readable } | { badUrl: string };

/** Resolves the parts of one CATENATE message. */
export async function catenate(
  session: CommandSession,
  user: ImapUser,
  parts: readonly CatenatePart[],
): Promise<Catenated> {
  const pieces: (Buffer | SectionContent)[] = [];
  for (const part of parts) {
    if (part.type === 'text') {
      pieces.push(part.data);
      continue;
    }
    const content = await followUrl(session, user, part.url);
    if (!content) return { badUrl: part.url };
    pieces.push(content);
  }
  const size = pieces.reduce((total, piece) => total + piece.length, 0);
  return {
    size,
    open: () =>
      Readable.from(
        (async function* () {
          for (const piece of pieces) {
            if (Buffer.isBuffer(piece)) yield piece;
            else yield* piece.open();
          }
        })(),
        { objectMode: false },
      ),
  };
}

/** `[BADURL url]`: the URL as the client sent it, without what would end the code (RFC 4469 5). */
export function badUrlCode(url: string): ResponseCode {
  const text = url.replace(/[^\x01-\x09\x0b\x0c\x0e-\x5a\x5e-\xfe]/g, '');
  return { name: 'BADURL', args: [atom(text || '/')] };
}

/** The content a URL names, or null when it names nothing this user has. */
async function followUrl(
  session: CommandSession,
  user: ImapUser,
  url: string,
): Promise<SectionContent | null> {
  const parsed = parseMessageUrl(url, user.username);
  if (!parsed) return null;
  const selected = session.selected;
  let mailbox: { id: string; uidValidity: number };
  if (selected && selected.path === parsed.mailbox) mailbox = selected;
  else {
    const opened = await session.backend.openMailbox(user, parsed.mailbox);
    if (!('id' in opened)) return null;
    mailbox = opened;
  }
  if (parsed.uidValidity !== null && parsed.uidValidity !== mailbox.uidValidity) return null;
  for await (const message of session.backend.fetch(user, mailbox.id, [parsed.uid], {
    sections: [parsed.section],
  })) {
    const content = message.sections?.[0] ?? null;
    return content && 'open' in content ? content : null;
  }
  return null;
}
