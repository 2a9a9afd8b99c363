import { PassThrough, type Readable } from 'node:stream';

/** How much each branch buffers before the source waits for it. */
const BRANCH_HIGH_WATER_MARK = 256 * 1024;

/** One reader's copy of the message: its own prefix (trace headers), then the shared bytes. */
export interface Branch {
  stream: PassThrough;
  /** Call when the reader is done with the stream, successful or not: the source no longer waits for it. */
  release(): void;
}

/**
 * Copies one incoming message to several readers (one per recipient) while it streams, so a
 * message is read once and never held whole in memory. The source goes only as fast as the slowest
 * reader that is still reading. A reader that stops early (a refused or failed copy) is released
 * and from then on skipped, so it never stalls the others.
 */
export function fanOut(source: Readable, prefixes: readonly Buffer[]): Branch[] {
  const branches = prefixes.map((prefix) => {
    const stream = new PassThrough({ highWaterMark: BRANCH_HIGH_WATER_MARK });
    if (prefix.length) stream.write(prefix);
    const branch = { stream, live: true, release: () => {} };
    branch.release = () => {
      if (!branch.live) return;
      branch.live = false;
      // whatever is buffered or still comes is discarded; a waiting source is let go
      stream.resume();
      stream.emit('drain');
    };
    stream.once('close', branch.release);
    return branch;
  });

  const waiting = new Set<PassThrough>();
  source.on('data', (chunk: Buffer) => {
    for (const branch of branches) {
      if (!branch.live) continue;
      if (!branch.stream.write(chunk)) {
        waiting.add(branch.stream);
        branch.stream.once('drain', () => {
          waiting.delete(branch.stream);
          if (!waiting.size) source.resume();
        });
      }
    }
    if (waiting.size) source.pause();
  });
  source.once('end', () => {
    for (const branch of branches) if (branch.live) branch.stream.end();
  });
  source.once('error', (error) => {
    // a released branch has no reader left to handle the error: it is closed quietly, or the
    // unhandled 'error' would take the process down
    for (const branch of branches) branch.stream.destroy(branch.live ? error : undefined);
  });
  // a source read for its header block first is paused, and a 'data' listener alone does not restart it
  source.resume();
  return branches.map((branch) => ({ stream: branch.stream, release: branch.release }));
}
