import type { Readable } from 'node:stream';
import type { BodyDigest, LargeBodyInfo, PartSink } from '@wildduck/mime';
import type { StoreContext } from './context.js';
import { releaseParts, storePart } from './parts.js';

/**
 * The MIME indexer's sink on GridFS: every large body is streamed into the parts bucket and
 * deduplicated there. It remembers what it stored, so a delivery that fails can give it all back.
 */
export class GridFsPartSink implements PartSink {
  /** Refs this sink stored (each holding one reference), in order. */
  readonly refs: string[] = [];

  constructor(private readonly ctx: StoreContext) {}

  async storeLargeBody(
    _info: LargeBodyInfo,
    content: Readable,
    _digest: Promise<BodyDigest>,
  ): Promise<string> {
    const stored = await storePart(this.ctx, content);
    this.refs.push(stored.ref);
    return stored.ref;
  }

  /** Gives back every part this sink stored (the delivery failed). */
  async releaseAll(): Promise<void> {
    await releaseParts(this.ctx, this.refs.splice(0));
  }
}
