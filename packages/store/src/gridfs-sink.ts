import { PassThrough, Readable } from 'node:stream';
import type { BodyDigest, LargeBodyInfo, PartSink } from '@wildduck/mime';
import type { StoreContext } from './context.js';
import { releaseParts, storePart } from './parts.js';
import { MAX_SEARCH_TEXT } from './search-text.js';

/**
 * The MIME indexer's sink on GridFS: every large body is streamed into the parts bucket and
 * deduplicated there. It remembers what it stored, so a delivery that fails can give it all back,
 * and keeps the first bytes of large text bodies for the search text (by part number).
 */
export class GridFsPartSink implements PartSink {
  /** Refs this sink stored (each holding one reference), in order. */
  readonly refs: string[] = [];
  /** The first bytes of each large text/plain or text/html body, by IMAP part number. */
  readonly textHeads = new Map<string, Buffer>();

  constructor(private readonly ctx: StoreContext) {}

  async storeLargeBody(info: LargeBodyInfo, content: Readable, _digest: Promise<BodyDigest>): Promise<string> {
    const [type = '', subtype = ''] = info.contentType.split('/');
    const wantsText = info.role === 'body' && type === 'text' && (subtype === 'plain' || subtype === 'html');
    let source: Readable = content;
    const head: Buffer[] = [];
    if (wantsText) {
      let kept = 0;
      const tap = new PassThrough();
      content.on('data', (chunk: Buffer) => {
        if (kept < MAX_SEARCH_TEXT) {
          head.push(chunk.subarray(0, MAX_SEARCH_TEXT - kept));
          kept += chunk.length;
        }
      });
      content.on('error', (error) => tap.destroy(error));
      content.pipe(tap);
      source = tap;
    }
    const stored = await storePart(this.ctx, source);
    this.refs.push(stored.ref);
    if (wantsText) this.textHeads.set(info.part, Buffer.concat(head));
    return stored.ref;
  }

  /** Gives back every part this sink stored (the delivery failed). */
  async releaseAll(): Promise<void> {
    await releaseParts(this.ctx, this.refs.splice(0));
  }
}

/** Stores a buffer as a part (used to move inline bodies out of a document that would be too large). */
export async function storeBuffer(ctx: StoreContext, data: Buffer): Promise<string> {
  return (await storePart(ctx, Readable.from([data]))).ref;
}
