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
import { emptyingSavedResultOnFailure, sendMatches } from '../search-results.js';
import { charsetProblem, matchingUids } from '../search-run.js';

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
  // ascending (the backend's search contract), so MIN and MAX are the lowest and highest
  const uids = await matchingUids(session, selected, command.criteria);
  await sendMatches(session, selected, command, 'SEARCH', returnOptionsOf(session, command), uids);
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
