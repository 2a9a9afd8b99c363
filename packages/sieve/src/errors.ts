/** Where something is in a script: 1-based line and column (columns count UTF-16 code units). */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * A syntax or validation error in a Sieve script. `reason` is the bare description; `message`
 * also names the place, so a log line or an API answer can be shown as is.
 */
export class SieveError extends Error {
  readonly line: number;
  readonly column: number;
  readonly reason: string;

  constructor(reason: string, position: SourcePosition) {
    super(`line ${position.line}, column ${position.column}: ${reason}`);
    this.name = 'SieveError';
    this.reason = reason;
    this.line = position.line;
    this.column = position.column;
  }
}
