import type { IndexedMessage, MimePart } from '@wildduck/mime';

/** How much decoded text of one message is kept for BODY/TEXT search and the webmail snippet. */
export const MAX_SEARCH_TEXT = 256 * 1024;

/**
 * Collects the decoded text of a message's text/plain and text/html leaves (tags stripped),
 * lower-cased, for SEARCH BODY and TEXT: the query then matches one field of the message
 * document and never opens a stored body. Large bodies reach here through the part sink's tap.
 */
export class SearchTextCollector {
  private readonly pieces: string[] = [];
  private length = 0;
  private snippetSource = '';

  /** Adds the raw (still transfer-encoded) bytes of a text leaf. */
  addLeaf(part: Pick<MimePart, 'type' | 'subtype' | 'transferEncoding' | 'charset'>, raw: Buffer): void {
    if (part.type !== 'text' || (part.subtype !== 'plain' && part.subtype !== 'html')) return;
    if (this.length >= MAX_SEARCH_TEXT) return;
    let text = decodeCharset(decodeTransfer(raw, part.transferEncoding), part.charset);
    if (part.subtype === 'html') text = htmlToText(text);
    text = text.replace(/\s+/g, ' ').trim();
    if (!text) return;
    if (!this.snippetSource) this.snippetSource = text;
    const piece = text.toLowerCase().slice(0, MAX_SEARCH_TEXT - this.length);
    this.pieces.push(piece);
    this.length += piece.length + 1;
  }

  /** The collected, lower-cased search text. */
  text(): string {
    return this.pieces.join('\n');
  }

  /** The first words of the first text part, for the message list. */
  snippet(): string {
    return this.snippetSource.slice(0, 200);
  }
}

/**
 * Feeds every text leaf of an indexed message to the collector, in message order: inline bodies
 * from the document, large ones from the first bytes the part sink kept (`largeHeads`).
 */
export function collectSearchText(collector: SearchTextCollector, indexed: IndexedMessage, largeHeads: ReadonlyMap<string, Buffer>): void {
  const leaves = new Map<string, MimePart>();
  const walk = (part: MimePart) => {
    if (part.kind === 'leaf') leaves.set(part.path, part);
    part.children?.forEach(walk);
    if (part.message) walk(part.message);
  };
  walk(indexed.root);
  for (const segment of indexed.segments) {
    if (segment.kind !== 'body' || segment.role !== 'body') continue;
    const part = leaves.get(segment.part);
    const bytes = segment.data ?? largeHeads.get(segment.part);
    if (part && bytes) collector.addLeaf(part, Buffer.from(bytes));
  }
}

function decodeTransfer(raw: Buffer, encoding: string): Buffer {
  switch (encoding) {
    case 'base64':
      return Buffer.from(raw.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    case 'quoted-printable': {
      const text = raw.toString('latin1').replace(/=\r?\n/g, '');
      const bytes: number[] = [];
      for (let index = 0; index < text.length; index++) {
        const hex = text.slice(index + 1, index + 3);
        if (text[index] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
          bytes.push(parseInt(hex, 16));
          index += 2;
        } else bytes.push(text.charCodeAt(index) & 0xff);
      }
      return Buffer.from(bytes);
    }
    default:
      return raw;
  }
}

function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder((charset ?? 'utf-8').trim().toLowerCase()).decode(bytes);
  } catch {
    // an unknown charset: keep what reads as UTF-8
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
}
