// Incremental Content-Transfer-Encoding decoders. The indexer runs them to count BINARY.SIZE and
// the BINARY fetch runs the same code to produce the bytes, so the two always agree.

import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';

/** Decodes a transfer encoding chunk by chunk. */
export interface BodyDecoder {
  update(chunk: Buffer): Buffer;
  final(): Buffer;
}

const BASE64_ALPHABET = new Uint8Array(256);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')
  BASE64_ALPHABET[ch.charCodeAt(0)] = 1;

/** Base64: characters outside the alphabet (line breaks, padding, garbage) are skipped. */
class Base64Decoder implements BodyDecoder {
  private carry = '';

  update(chunk: Buffer): Buffer {
    let text = this.carry;
    let run = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (BASE64_ALPHABET[chunk[i] ?? 0]) continue;
      if (i > run) text += chunk.toString('latin1', run, i);
      run = i + 1;
    }
    if (chunk.length > run) text += chunk.toString('latin1', run);
    const whole = text.length - (text.length % 4);
    this.carry = text.slice(whole);
    return Buffer.from(text.slice(0, whole), 'base64');
  }

  final(): Buffer {
    const rest = this.carry;
    this.carry = '';
    return Buffer.from(rest, 'base64');
  }
}

const isHex = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;

/**
 * Quoted-printable (RFC 2045 6.7): `=XX` escapes, `=` before a line end is a soft break, and
 * blanks at the end of a line are dropped as transport padding. A malformed `=` is kept as it is.
 */
class QuotedPrintableDecoder implements BodyDecoder {
  /** Undecided bytes: a blank run (maybe ending in CR), or an `=` sequence not yet complete. */
  private pending: number[] = [];
  private out: Buffer = Buffer.alloc(0);
  private length = 0;

  update(chunk: Buffer): Buffer {
    // Every byte is written at most once, so input plus pending bounds the output.
    this.out = Buffer.allocUnsafe(chunk.length + this.pending.length);
    this.length = 0;
    for (const byte of chunk) this.step(byte);
    return this.out.subarray(0, this.length);
  }

  private put(byte: number): void {
    this.out[this.length++] = byte;
  }

  private flushPending(): void {
    for (const byte of this.pending) this.put(byte);
    this.pending = [];
  }

  private step(byte: number): void {
    const pending = this.pending;
    const last = pending[pending.length - 1];
    if (pending[0] === 0x3d) {
      const rest = pending.slice(1);
      const restBlank = rest.every(isBlank);
      if (pending.length === 1 && isHex(byte)) {
        pending.push(byte);
      } else if (pending.length === 2 && isHex(last ?? 0) && isHex(byte)) {
        this.pending = [];
        this.put(parseInt(String.fromCharCode(last ?? 0, byte), 16));
      } else if (byte === 0x0a && (restBlank || (last === 0x0d && rest.slice(0, -1).every(isBlank)))) {
        this.pending = [];
      } else if ((isBlank(byte) || byte === 0x0d) && restBlank) {
        pending.push(byte);
      } else {
        this.flushPending();
        this.step(byte);
      }
      return;
    }
    if (byte === 0x0a) {
      this.pending = [];
      if (last === 0x0d) this.put(0x0d);
      this.put(0x0a);
    } else if (isBlank(byte) || byte === 0x0d) {
      if (last === 0x0d) this.flushPending();
      this.pending.push(byte);
    } else {
      this.flushPending();
      if (byte === 0x3d) this.pending.push(byte);
      else this.put(byte);
    }
  }

  final(): Buffer {
    // At the end of the body blanks are padding; an incomplete `=X` or a lone CR is kept.
    const pending = this.pending;
    this.pending = [];
    if (pending[0] === 0x3d) return Buffer.from(pending.filter((b) => !isBlank(b)));
    return Buffer.from(pending[pending.length - 1] === 0x0d ? [0x0d] : []);
  }
}

/** Identity encodings (7bit, 8bit, binary) need no decoding. */
class IdentityDecoder implements BodyDecoder {
  update(chunk: Buffer): Buffer {
    return chunk;
  }
  final(): Buffer {
    return Buffer.alloc(0);
  }
}

/** A decoder for a Content-Transfer-Encoding, or null when the encoding is unknown. */
export function createBodyDecoder(transferEncoding: string): BodyDecoder | null {
  switch (transferEncoding.toLowerCase()) {
    case 'base64':
      return new Base64Decoder();
    case 'quoted-printable':
      return new QuotedPrintableDecoder();
    case '7bit':
    case '8bit':
    case 'binary':
    case '':
      return new IdentityDecoder();
    default:
      return null;
  }
}

/** Wraps a decoder as a Transform stream. */
export function createDecodeTransform(decoder: BodyDecoder): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      callback(null, decoder.update(chunk));
    },
    flush(callback: TransformCallback) {
      callback(null, decoder.final());
    },
  });
}

/** Counts the octets a body decodes to, exactly as the decoders above would produce them. */
export interface DecodedSizeCounter {
  update(chunk: Buffer): void;
  final(): number;
}

/** Base64 needs no decoding to count: only the alphabet characters matter. */
class Base64SizeCounter implements DecodedSizeCounter {
  private characters = 0;

  update(chunk: Buffer): void {
    let count = 0;
    for (let i = 0; i < chunk.length; i++) count += BASE64_ALPHABET[chunk[i] ?? 0] ?? 0;
    this.characters += count;
  }

  final(): number {
    // Whole quads give 3 octets; a trailing 2 or 3 characters give 1 or 2 (as Buffer decodes them).
    const rest = this.characters % 4;
    return Math.floor(this.characters / 4) * 3 + (rest === 0 ? 0 : rest - 1);
  }
}

/** Other encodings run the decoder itself and add up its output. */
class DecodingSizeCounter implements DecodedSizeCounter {
  private size = 0;

  constructor(private readonly decoder: BodyDecoder) {}

  update(chunk: Buffer): void {
    this.size += this.decoder.update(chunk).length;
  }

  final(): number {
    return this.size + this.decoder.final().length;
  }
}

/** A decoded-size counter for a Content-Transfer-Encoding, or null when the encoding is unknown. */
export function createDecodedSizeCounter(transferEncoding: string): DecodedSizeCounter | null {
  if (transferEncoding.toLowerCase() === 'base64') return new Base64SizeCounter();
  const decoder = createBodyDecoder(transferEncoding);
  return decoder ? new DecodingSizeCounter(decoder) : null;
}
