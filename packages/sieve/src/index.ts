/**
 * Sieve (RFC 5228) for the platform: a parser that reports the line and column of a mistake, a
 * validator for the base language and the extensions in SIEVE_EXTENSIONS, and an interpreter
 * (runSieve) that turns scripts and a message into the final action list. No I/O here: loading
 * the message and carrying out the actions is the delivery code's job.
 */
import type { Script } from './ast.js';
import { SieveError } from './errors.js';
import { parseScript } from './parser.js';
import { validateScript } from './validate.js';

export type * from './ast.js';
export { SieveError, type SourcePosition } from './errors.js';
export { SIEVE_EXTENSIONS, type SieveExtension } from './extensions.js';
export { MAX_NESTING, parseScript } from './parser.js';
export { validateScript } from './validate.js';
export * from './interpreter-types.js';
export { runSieve, scriptNeeds } from './interpreter.js';

export type ParseSieveResult = { ok: true; script: Script } | { ok: false; errors: SieveError[] };

/** Parses and validates a script: the syntax error, or every validation error, or the script. */
export function parseSieve(text: string): ParseSieveResult {
  let script: Script;
  try {
    script = parseScript(text);
  } catch (error) {
    if (error instanceof SieveError) return { ok: false, errors: [error] };
    throw error;
  }
  const errors = validateScript(script);
  return errors.length ? { ok: false, errors } : { ok: true, script };
}
