/** Runs validated Sieve scripts against a message: no I/O, the outcome is a list of actions. */
import type { Script } from './ast.js';
import type { SieveMessage, SieveOutcome, SieveRunOptions } from './interpreter-types.js';

export function runSieve(
  scripts: Script | readonly Script[],
  message: SieveMessage,
  options: SieveRunOptions,
): SieveOutcome {
  void scripts;
  void message;
  void options;
  throw new Error('runSieve: not implemented yet');
}

export function scriptNeeds(scripts: readonly Script[]): { body: boolean; size: boolean } {
  void scripts;
  return { body: true, size: true };
}
