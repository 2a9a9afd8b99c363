// RFC 3501 7.2.6: a client learns which flags a mailbox defines from FLAGS (and which it may
// store from PERMANENTFLAGS). A keyword first set after SELECT (by this session, another one or
// a delivery) must be announced with both before any FETCH shows it, or a strict client meets a
// flag it was never told of. Every writer of `FETCH (... FLAGS (...))` calls this first.
import type { SelectedMailbox } from './selected-mailbox.js';
import {
  atom,
  permanentFlagsCode,
  type ImapValue,
  type ResponseCode,
  type StatusCondition,
} from './writer/index.js';

/** Where untagged responses go: the session during a command, the writer in a change report. */
export interface UntaggedOutput {
  untagged(...values: ImapValue[]): Promise<void>;
  untaggedStatus(condition: StatusCondition, text: string, code?: ResponseCode): Promise<void>;
}

/** Sends `* FLAGS (...)` and `* OK [PERMANENTFLAGS (...)]` when `flags` holds a keyword not yet announced. */
export async function announceNewFlags(
  output: UntaggedOutput,
  mailbox: SelectedMailbox,
  flags: readonly string[] | undefined,
): Promise<void> {
  if (!flags?.length) return;
  const fresh = mailbox.unannouncedFlags(flags);
  if (!fresh.length) return;
  mailbox.defineFlags(fresh);
  await output.untagged(atom('FLAGS'), mailbox.flags.map(atom));
  await output.untaggedStatus('OK', 'Flags permitted', permanentFlagsCode(mailbox.permanentFlags));
}
