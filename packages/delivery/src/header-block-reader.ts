import { Readable } from 'node:stream';

/** The header block of a message being received, and the stream of what follows it. */
export interface SplitMessage {
  /** The header fields, without the blank line that ends them. */
  fields: Buffer;
  /** The blank line (CRLF or LF), or empty when the message has no body. */
  separator: Buffer;
  /** The body, still streaming. */
  body: Readable;
}

/** Raised when the header block passes the limit (a client that never ends its headers). */
export class HeaderTooLargeError extends Error {}

/**
 * Reads a message stream up to the end of its header block, so the headers can be checked and
 * rewritten, and hands back the rest as a stream: only the header block is ever held in memory.
 */
export function readHeaderBlock(stream: Readable, maxBytes = 1024 * 1024): Promise<SplitMessage> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const finish = (result: SplitMessage | Error) => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onReadable = () => {
      let chunk: Buffer | null;
      while ((chunk = stream.read() as Buffer | null) !== null) {
        const searchFrom = Math.max(0, buffered.length - 3);
        buffered = Buffer.concat([buffered, chunk]);
        const end = findHeaderEnd(buffered, searchFrom);
        if (end) {
          const rest = buffered.subarray(end.bodyStart);
          if (rest.length) stream.unshift(rest);
          return finish({
            fields: buffered.subarray(0, end.fieldsEnd),
            separator: buffered.subarray(end.fieldsEnd, end.bodyStart),
            body: stream,
          });
        }
        if (buffered.length > maxBytes)
          return finish(new HeaderTooLargeError(`the header block is larger than ${maxBytes} bytes`));
      }
    };
    const onEnd = () => finish({ fields: buffered, separator: Buffer.alloc(0), body: Readable.from([]) });
    const onError = (error: Error) => finish(error);
    stream.on('readable', onReadable);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}

/**
 * Where the first blank line is: `fieldsEnd` is where it starts (the last field keeps its line
 * ending), `bodyStart` just after it. Searches from `from`, a little before the newest bytes.
 */
function findHeaderEnd(buffer: Buffer, from: number): { fieldsEnd: number; bodyStart: number } | null {
  // a message that starts with a blank line has no header fields at all
  if (buffer[0] === 0x0a) return { fieldsEnd: 0, bodyStart: 1 };
  if (buffer[0] === 0x0d && buffer[1] === 0x0a) return { fieldsEnd: 0, bodyStart: 2 };
  for (let index = from; index < buffer.length - 1; index++) {
    if (buffer[index] !== 0x0a) continue;
    if (buffer[index + 1] === 0x0a) return { fieldsEnd: index + 1, bodyStart: index + 2 };
    if (buffer[index + 1] === 0x0d && buffer[index + 2] === 0x0a)
      return { fieldsEnd: index + 1, bodyStart: index + 3 };
  }
  return null;
}
