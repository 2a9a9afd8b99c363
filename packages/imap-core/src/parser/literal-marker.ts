/**
 * Finds the literal marker (`{n}`, `{n+}`, `~{n}`) that may end a command line, outside quoted
 * strings. The scanner is incremental so that a line being thrown away (too long) can still be
 * followed to its end: a non-synchronising literal announced there must be skipped too, or its
 * bytes would be read as commands.
 */
import { Byte } from './characters.js';

/** A literal announced at the end of a line. */
export interface LiteralMarker {
  /** Announced size; `Infinity` when the digits do not fit a 32-bit number. */
  size: number;
  /** `{n+}`: the client sends the bytes without waiting for `+` (RFC 7888). */
  nonSynchronizing: boolean;
  /** `~{n}`: literal8 (RFC 3516). */
  binary: boolean;
}

const MAX_MARKER_LENGTH = 16;

/** Incremental scanner of one line's bytes (CR and LF excluded). */
export class LiteralMarkerScanner {
  private inQuote = false;
  private escaped = false;
  private previousByte = -1;
  /** Bytes of a candidate marker since its `{`, or null when the line cannot end in one. */
  private candidate: number[] | null = null;
  private candidateBinary = false;

  /** Feeds the next bytes of the line. */
  scan(bytes: Buffer): void {
    for (let index = 0; index < bytes.length; index++) {
      const byte = bytes[index] ?? 0;
      // A CR is only ever meaningful right before the LF; ignoring it everywhere keeps the
      // incremental scan (which cannot tell the last CR yet) and the whole-line scan in agreement.
      if (byte === Byte.CarriageReturn) continue;
      if (this.inQuote) {
        if (this.escaped) this.escaped = false;
        else if (byte === Byte.Backslash) this.escaped = true;
        else if (byte === Byte.Quote) this.inQuote = false;
      } else if (byte === Byte.Quote) {
        this.inQuote = true;
        this.candidate = null;
      } else if (byte === Byte.OpenBrace) {
        this.candidate = [];
        this.candidateBinary = this.previousByte === Byte.Tilde;
      } else if (this.candidate !== null) {
        if (this.candidate.length >= MAX_MARKER_LENGTH || this.candidate.at(-1) === Byte.CloseBrace)
          this.candidate = null;
        else this.candidate.push(byte);
      }
      this.previousByte = byte;
    }
  }

  /** The marker the line ended with, or null. */
  finish(): LiteralMarker | null {
    const candidate = this.candidate;
    if (candidate === null || candidate.at(-1) !== Byte.CloseBrace) return null;
    const body = String.fromCharCode(...candidate.slice(0, -1));
    const match = /^(\d+)(\+?)$/.exec(body);
    if (!match) return null;
    const digits = match[1] ?? '';
    const size = digits.length > 10 || Number(digits) > 4294967295 ? Infinity : Number(digits);
    return { size, nonSynchronizing: match[2] === '+', binary: this.candidateBinary };
  }
}

/** The literal marker ending a complete line, or null. */
export function findLiteralMarker(line: Buffer): LiteralMarker | null {
  if (line.at(-1) !== Byte.CloseBrace) return null;
  const scanner = new LiteralMarkerScanner();
  scanner.scan(line);
  return scanner.finish();
}
