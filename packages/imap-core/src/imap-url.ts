// IMAP URLs of a message or part (RFC 5092), as CATENATE (RFC 4469) names what to copy:
// `/INBOX;UIDVALIDITY=385759045/;UID=20/;SECTION=1.2/;PARTIAL=0.1024`, rooted at this server, or
// the same after `imap://user@host` when the user is the one logged in.
import type { SectionRequest } from './backend.js';
import { planFetch } from './fetch-plan.js';
import { parseCommandFrame } from './parser/command-grammar.js';

/** What a message URL points at. */
export interface MessageUrl {
  mailbox: string;
  /** Null when the URL does not say (then any UIDVALIDITY is taken). */
  uidValidity: number | null;
  uid: number;
  /** The section to read (`full` of `[]` when the URL names no section), partial applied. */
  section: SectionRequest;
}

const PATH =
  /^\/(.+?)(?:;UIDVALIDITY=([1-9]\d{0,9}))?\/;UID=([1-9]\d{0,9})(?:\/;SECTION=([^/]+))?(?:\/;PARTIAL=(\d{1,10})(?:\.([1-9]\d{0,9}))?)?$/i;

/** Parses a message URL of `username`'s mailboxes; null when it is not one this server can follow. */
export function parseMessageUrl(url: string, username: string): MessageUrl | null {
  let path = url;
  const absolute = /^imap:\/\/([^/]*)(\/.*)$/i.exec(url);
  if (absolute) {
    const authority = absolute[1] ?? '';
    const at = authority.lastIndexOf('@');
    const user = at < 0 ? null : decode(authority.slice(0, at).replace(/;AUTH=.*$/i, ''));
    if (user !== null && user.toLowerCase() !== username.toLowerCase()) return null;
    path = absolute[2] ?? '';
  }
  const match = PATH.exec(path);
  if (!match) return null;
  const [, encodedMailbox = '', uidValidity, uid = '', encodedSection, start, length] = match;
  const decodedMailbox = decode(encodedMailbox);
  if (decodedMailbox === null) return null;
  const mailbox = decodedMailbox.toUpperCase() === 'INBOX' ? 'INBOX' : decodedMailbox;
  const sectionText = encodedSection === undefined ? '' : decode(encodedSection);
  if (sectionText === null) return null;
  const partial =
    start === undefined ? null : { offset: Number(start), length: length ? Number(length) : 4294967295 };
  const section = parseSection(sectionText, partial);
  if (!section) return null;
  return {
    mailbox,
    uidValidity: uidValidity ? Number(uidValidity) : null,
    uid: Number(uid),
    section,
  };
}

/** The section as FETCH BODY[...] reads it, by the FETCH grammar itself. */
function parseSection(
  text: string,
  partial: { offset: number; length: number } | null,
): SectionRequest | null {
  if (/[\r\n[\]]/.test(text)) return null;
  const parsed = parseCommandFrame(
    { text: Buffer.from(`u FETCH 1 (BODY.PEEK[${text}])`, 'utf8'), literals: [] },
    { utf8Accept: true, maxNestingDepth: 4 },
  );
  if (!parsed.ok || parsed.command.name !== 'FETCH') return null;
  const item = parsed.command.items[0];
  if (item?.item !== 'BODY[]' || parsed.command.items.length !== 1) return null;
  return planFetch([{ ...item, partial }], { uid: false, withModseq: false }).query.sections?.[0] ?? null;
}

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
