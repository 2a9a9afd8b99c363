// Extracts readable text from text/plain and text/html bodies while they stream by, decoded
// (transfer encoding and charset) and capped: for SEARCH BODY/TEXT queries and list previews,
// so neither ever needs to load a message.

import { decode as decodeCharset } from 'libmime/lib/charset.js';
import { createBodyDecoder } from './decoders.js';
import type { BodyDecoder } from './decoders.js';
import type { MimePart } from './model.js';

/** The part facts text extraction looks at. */
type TextPartFacts = Pick<MimePart, 'type' | 'subtype' | 'disposition' | 'transferEncoding' | 'charset'>;

/** Gathers the text of a message's inline text parts, part by part, within one character budget. */
export class BodyTextCollector {
  private extractor: TextExtractor | null = null;
  private readonly texts: string[] = [];
  private used = 0;
  private truncated = false;

  constructor(private readonly maxCharacters: number) {}

  /** A body starts: extract it if it is inline text/plain or text/html and budget is left. */
  startPart(facts: TextPartFacts): void {
    this.extractor = null;
    const isText = facts.type === 'text' && (facts.subtype === 'plain' || facts.subtype === 'html');
    if (!isText || facts.disposition === 'attachment') return;
    const room = this.maxCharacters - this.used;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    // The budget is in bytes: markup and multi-byte characters shrink when decoded, so allow slack.
    const html = facts.subtype === 'html';
    this.extractor = new TextExtractor(
      facts.transferEncoding,
      facts.charset ?? '',
      html,
      room * (html ? 4 : 2),
    );
  }

  /** Raw bytes of the current body. */
  update(bytes: Buffer): void {
    this.extractor?.update(bytes);
  }

  /** The current body ended. */
  finishPart(): void {
    const extractor = this.extractor;
    this.extractor = null;
    if (!extractor) return;
    const text = extractor.finish();
    const room = this.maxCharacters - this.used;
    if (extractor.truncated || text.length > room) this.truncated = true;
    const kept = text.slice(0, room);
    if (!kept) return;
    this.texts.push(kept);
    this.used += kept.length + 1;
  }

  /** The texts joined by LF, and whether anything was cut. */
  result(): { text: string; truncated: boolean } {
    return { text: this.texts.join('\n'), truncated: this.truncated };
  }
}

/** Collects the decoded text of one part, up to a byte budget. */
export class TextExtractor {
  private readonly decoder: BodyDecoder;
  private chunks: Buffer[] = [];
  private length = 0;
  /** True when the part had more text than the budget allowed. */
  truncated = false;

  constructor(
    transferEncoding: string,
    private readonly charset: string,
    private readonly html: boolean,
    private readonly budget: number,
  ) {
    this.decoder = createBodyDecoder(transferEncoding) ?? (createBodyDecoder('7bit') as BodyDecoder);
  }

  /** Adds raw (transfer-encoded) body bytes; ignores them once the budget is spent. */
  update(bytes: Buffer): void {
    if (this.length >= this.budget) {
      this.truncated ||= bytes.length > 0;
      return;
    }
    this.keep(this.decoder.update(bytes));
  }

  private keep(decoded: Buffer): void {
    const room = this.budget - this.length;
    if (decoded.length > room) this.truncated = true;
    const kept = decoded.subarray(0, room);
    this.chunks.push(kept);
    this.length += kept.length;
  }

  /** The part's text, charset-decoded, HTML reduced to text, blanks collapsed. */
  finish(): string {
    if (this.length < this.budget) this.keep(this.decoder.final());
    const bytes = Buffer.concat(this.chunks, this.length);
    this.chunks = [];
    let text: string;
    try {
      text = decodeCharset(bytes, this.charset || 'us-ascii');
    } catch {
      text = bytes.toString('utf8');
    }
    return (this.html ? htmlToText(text) : text).replace(/\s+/g, ' ').trim();
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** A rough HTML-to-text reduction: enough for search and previews, not for display. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity: string, name: string) => {
      if (name[0] === '#') {
        const code =
          name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
      }
      return ENTITIES[name.toLowerCase()] ?? entity;
    });
}
