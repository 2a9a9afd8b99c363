/**
 * A complete command as the framer cut it from the byte stream: the command text (all lines,
 * CRLFs removed) and the literal payloads that followed its `{n}` markers.
 */

/** A literal payload and where its marker ended in the command text. */
export interface FrameLiteral {
  /** Offset in `CommandFrame.text` just after the marker's closing `}`. */
  offset: number;
  data: Buffer;
  /** True for literal8 `~{n}`. */
  binary: boolean;
}

/** One command's text and literals, ready for the grammar. */
export interface CommandFrame {
  text: Buffer;
  literals: FrameLiteral[];
}

/** A grammar failure inside the parser; converted to a `ParseError` value at the public surface. */
export class SyntaxFailure {
  constructor(
    readonly kind: 'syntax' | 'nesting-too-deep' | 'unknown-command' | 'invalid-mailbox-name',
    readonly message: string,
  ) {}
}

/** Throws a syntax failure; the grammar functions use it to unwind to `parseCommandFrame`. */
export function fail(message: string, kind: SyntaxFailure['kind'] = 'syntax'): never {
  throw new SyntaxFailure(kind, message);
}
