import type { Readable } from 'node:stream';
import type { Db } from 'mongodb';
import {
  decodeEncodedWords,
  decodeText,
  headerBytes,
  htmlToText,
  openBinary,
  openSection,
  parseHeaderBlock,
  UnknownTransferEncodingError,
  type MimePart,
  type SectionContent,
  type StoredSections,
} from '@wildduck/mime';
import { gridFsBodyOpener, type MessageView } from '@wildduck/store';

/** The most bytes of text/plain, and of text/html, read for display; the rest is cut. */
export const MAX_RENDERED_BODY = 2 * 1024 * 1024;

/** A part that is not the displayed text: an attachment, or an inline image of the HTML. */
export interface AttachmentPart {
  /** IMAP part number ('1' for the body of a single-part message). */
  id: string;
  filename: string | null;
  contentType: string;
  /** Octets after transfer decoding (what the download gives). */
  size: number;
  disposition: string | null;
  /** Without angle brackets. */
  contentId: string | null;
}

/** What the webmail shows of a message, before the HTML is sanitised. */
export interface RenderedMessage {
  headers: { key: string; value: string }[];
  text: string | null;
  /** As sent: sanitise before handing it out. */
  html: string | null;
  attachments: AttachmentPart[];
  /** True when a body was longer than MAX_RENDERED_BODY and was cut. */
  truncated: boolean;
}

/** The stored MIME tree and segments of a message read with `content`. */
export function storedSections(message: MessageView): StoredSections {
  if (!message.mime) throw new Error('the message was read without its content');
  return {
    root: JSON.parse(message.mime.root) as MimePart,
    segments: message.mime.segments,
    size: message.size,
  };
}

/** The IMAP part number of a part ('' is the top-level body of a single-part message: 1). */
export function partNumber(part: MimePart): string {
  return part.path || '1';
}

/** Parses a part number such as 2 or 1.2; null for anything else. */
export function parsePartNumber(text: string): number[] | null {
  if (!/^[1-9]\d{0,4}(?:\.[1-9]\d{0,4}){0,31}$/.test(text)) return null;
  return text.split('.').map(Number);
}

/**
 * The decoded bytes of a part (transfer encoding undone; an embedded message as it is), or null
 * when the message has no such part. An unknown transfer encoding gives the bytes as stored.
 */
export function openPartContent(
  db: Db,
  sections: StoredSections,
  part: readonly number[],
): SectionContent | null {
  const opener = gridFsBodyOpener(db);
  try {
    return openBinary(sections, part, opener);
  } catch (error) {
    if (error instanceof UnknownTransferEncodingError)
      return openSection(sections, { part: [...part] }, opener);
    throw error;
  }
}

/** Reads at most `limit` bytes of a stream, then stops it. */
async function readUpTo(stream: Readable, limit: number): Promise<{ bytes: Buffer; cut: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  let cut = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const room = limit - length;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      length += room;
      cut = true;
      break;
    }
    chunks.push(chunk);
    length += chunk.length;
  }
  stream.destroy();
  return { bytes: Buffer.concat(chunks, length), cut };
}

function isBodyText(part: MimePart): boolean {
  return (
    part.kind === 'leaf' &&
    part.type === 'text' &&
    (part.subtype === 'plain' || part.subtype === 'html') &&
    part.disposition !== 'attachment' &&
    !part.filename
  );
}

/** Leaves in order, text bodies apart from attachments; embedded messages are attachments whole. */
function collectParts(root: MimePart): { texts: MimePart[]; htmls: MimePart[]; attachments: MimePart[] } {
  const texts: MimePart[] = [];
  const htmls: MimePart[] = [];
  const attachments: MimePart[] = [];
  const visit = (part: MimePart): void => {
    if (part.kind === 'multipart') {
      for (const child of part.children ?? []) visit(child);
    } else if (part.kind === 'message') {
      attachments.push(part);
    } else if (isBodyText(part)) {
      (part.subtype === 'html' ? htmls : texts).push(part);
    } else {
      attachments.push(part);
    }
  };
  visit(root);
  return { texts, htmls, attachments };
}

function toAttachment(part: MimePart): AttachmentPart {
  const contentId = part.contentId?.trim().replace(/^<|>$/g, '') || null;
  return {
    id: partNumber(part),
    filename: part.filename || null,
    contentType: `${part.type}/${part.subtype}`,
    size: part.kind === 'leaf' ? (part.decodedSize ?? part.body.length) : part.body.length,
    disposition: part.disposition ?? null,
    contentId,
  };
}

/** Every header field of the message, names as written, values unfolded and decoded. */
function readHeaders(sections: StoredSections): { key: string; value: string }[] {
  const fields = parseHeaderBlock(headerBytes(sections, sections.root));
  return fields
    .filter((field) => field.key)
    .map((field) => {
      const raw = field.raw.toString('latin1');
      return { key: raw.slice(0, raw.indexOf(':')).trim(), value: decodeEncodedWords(field.value) };
    });
}

/**
 * Reads what the webmail shows of a message: its headers, the text and HTML bodies (transfer and
 * charset decoded, each kind capped at MAX_RENDERED_BODY bytes; text made from the HTML when there
 * is no text part), and its attachments. Only the text parts are read, never the attachments.
 */
export async function renderMessage(db: Db, message: MessageView): Promise<RenderedMessage> {
  const sections = storedSections(message);
  const { texts, htmls, attachments } = collectParts(sections.root);
  let truncated = false;
  const readBodies = async (parts: MimePart[]): Promise<string | null> => {
    if (!parts.length) return null;
    const pieces: string[] = [];
    let budget = MAX_RENDERED_BODY;
    for (const part of parts) {
      if (budget <= 0) {
        truncated = true;
        break;
      }
      const numbers = parsePartNumber(partNumber(part));
      const content = numbers && openPartContent(db, sections, numbers);
      if (!content) continue;
      const { bytes, cut } = await readUpTo(content.stream, budget);
      truncated ||= cut;
      budget -= bytes.length;
      pieces.push(decodeText(bytes, part.charset));
    }
    return pieces.join('\n');
  };
  const text = await readBodies(texts);
  const html = await readBodies(htmls);
  return {
    headers: readHeaders(sections),
    text: text ?? (html === null ? null : plainFromHtml(html)),
    html,
    attachments: attachments.map(toAttachment),
    truncated,
  };
}

/** Readable text from HTML: blocks become lines, runs of blank lines one. */
function plainFromHtml(html: string): string {
  const marked = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|tr|li|h[1-6]|blockquote|table)\s*>/gi, '\n');
  return htmlToText(marked)
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
