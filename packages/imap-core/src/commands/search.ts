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
import { emptyingSavedResultOnFailure, esearchResponse, returnedUids } from '../search-results.js';
import { charsetProblem, highestModseqOf, matchingUids } from '../search-run.js';
import { atom, type ImapValue } from '../writer/index.js';

/** Finds matching messages. */
export const search: CommandHandler<SearchCommand> = {
  states: SELECTED_STATE,
  handle: (session, command) =>
    emptyingSavedResultOnFailure(session, command.returnOptions, () => runSearch(session, command)),
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
      // ascending: MIN and MAX are the lowest and highest (RFC 4731 3.1)
      const ascending = [...numbers].sort((a, b) => a - b);
      await session.untagged(...esearchResponse(command, options, ascending, highest));
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
