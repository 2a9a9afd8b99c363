// SEARCH and UID SEARCH (RFC 3501 6.4.4), with ESEARCH return options (RFC 4731), the MODSEQ key
// (RFC 7162 3.1.5), SAVE and `$` (RFC 5182 SEARCHRES) and OLDER/YOUNGER (RFC 5032 WITHIN).
// CHARSET may be US-ASCII or UTF-8, and none after UTF8=ACCEPT (RFC 6855 3). Results only name
// messages this client has been told about.
import {
  SELECTED_STATE,
  bad,
  ok,
  type CommandHandler,
  type CommandSession,
  type TaggedResult,
} from '../command-handler.js';
import type { SearchCommand, SearchReturnOption } from '../parser/types.js';
import { usesModseq } from '../search-query.js';
import { charsetProblem, highestModseqOf, matchingUids } from '../search-run.js';
import { atom, formatSequenceSet, type ImapValue } from '../writer/index.js';

/** Finds matching messages. */
export const search: CommandHandler<SearchCommand> = {
  states: SELECTED_STATE,
  async handle(session, command) {
    const saving = command.returnOptions?.includes('SAVE') ?? false;
    try {
      const result = await runSearch(session, command);
      // RFC 5182 2.1: a SEARCH that was to SAVE and failed leaves `$` empty
      if (saving && result.status !== 'OK') session.selected?.saveResult([]);
      return result;
    } catch (error) {
      if (saving) session.selected?.saveResult([]);
      throw error;
    }
  },
};

async function runSearch(session: CommandSession, command: SearchCommand): Promise<TaggedResult> {
  const { selected } = session;
  if (!selected) return bad('No mailbox selected');
  const problem = charsetProblem(session, command.charset, true);
  if (problem) return problem;
  const uids = await matchingUids(session, selected, command.criteria);
  const withModseq = usesModseq(command.criteria);
  const numbers = command.uid ? uids : uids.map((uid) => selected.sequenceOf(uid));
  const options = returnOptionsOf(session, command);
  if (options) {
    if (options.includes('SAVE')) selected.saveResult(returnedUids(options, uids));
    // RFC 5182 2.4: SAVE alone answers no ESEARCH
    if (options.some((option) => option !== 'SAVE')) {
      const highest = withModseq ? await highestModseqOf(session, selected, returnedUids(options, uids)) : 0;
      await session.untagged(...esearchResponse(command, options, numbers, highest || null));
    }
  } else {
    const values: ImapValue[] = [atom('SEARCH'), ...numbers];
    const highest = withModseq ? await highestModseqOf(session, selected, uids) : 0;
    if (highest) values.push([atom('MODSEQ'), highest]);
    await session.untagged(...values);
  }
  return ok('SEARCH completed');
}

/**
 * The return options in force: `RETURN ()` means ALL (RFC 4731 3.1), and an IMAP4rev2 session is
 * always answered ESEARCH, RETURN (ALL) being the default (RFC 9051 6.4.4); null for `* SEARCH`.
 */
function returnOptionsOf(
  session: CommandSession,
  command: SearchCommand,
): readonly SearchReturnOption[] | null {
  const options = command.returnOptions;
  if (options?.length === 0) return ['ALL'];
  return options ?? (session.isEnabled('IMAP4rev2') ? ['ALL'] : null);
}

/**
 * The messages the return options give back: with MIN and/or MAX alone only those, else all of
 * them. Both `$` (RFC 5182 2.4) and the MODSEQ result (RFC 4731 3.2) are about these.
 */
function returnedUids(options: readonly SearchReturnOption[], uids: readonly number[]): number[] {
  const min = options.includes('MIN');
  const max = options.includes('MAX');
  if (options.includes('ALL') || options.includes('COUNT') || (!min && !max)) return [...uids];
  const picked = new Set<number>();
  if (min && uids.length) picked.add(uids[0] as number);
  if (max && uids.length) picked.add(uids[uids.length - 1] as number);
  return [...picked];
}

/** `* ESEARCH (TAG "t") [UID] MIN a MAX b COUNT n ALL set [MODSEQ m]` (RFC 4731, RFC 7162 3.1.5). */
function esearchResponse(
  command: SearchCommand,
  options: readonly SearchReturnOption[],
  numbers: readonly number[],
  highestModseq: number | null,
): ImapValue[] {
  const values: ImapValue[] = [atom('ESEARCH'), [atom('TAG'), command.tag]];
  if (command.uid) values.push(atom('UID'));
  const sorted = [...numbers].sort((a, b) => a - b);
  if (options.includes('MIN') && sorted.length) values.push(atom('MIN'), sorted[0] as number);
  if (options.includes('MAX') && sorted.length) values.push(atom('MAX'), sorted[sorted.length - 1] as number);
  if (options.includes('COUNT')) values.push(atom('COUNT'), sorted.length);
  if (options.includes('ALL') && sorted.length) values.push(atom('ALL'), atom(formatSequenceSet(sorted)));
  if (highestModseq !== null) values.push(atom('MODSEQ'), highestModseq);
  return values;
}
