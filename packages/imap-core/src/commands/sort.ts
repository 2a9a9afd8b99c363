// SORT and UID SORT (RFC 5256 3), with the DISPLAYFROM/DISPLAYTO keys (RFC 5957) and ESORT's
// return options (RFC 5267: MIN and MAX are the first and last in sort order, ALL keeps the
// order). The order is computed here from the backend's small sort records.
import {
  SELECTED_STATE,
  bad,
  ok,
  type CommandHandler,
  type CommandSession,
  type TaggedResult,
} from '../command-handler.js';
import type { SortCommand } from '../parser/types.js';
import { emptyingSavedResultOnFailure, sendMatches } from '../search-results.js';
import { charsetProblem, matchingSortRecords } from '../search-run.js';
import { sortMessages } from '../sort/sort-messages.js';

/** Sorts matching messages. */
export const sort: CommandHandler<SortCommand> = {
  states: SELECTED_STATE,
  handle: (session, command) =>
    emptyingSavedResultOnFailure(session, command.returnOptions, () => runSort(session, command)),
};

async function runSort(session: CommandSession, command: SortCommand): Promise<TaggedResult> {
  const { user, selected } = session;
  if (!user || !selected) return bad('No mailbox selected');
  const problem = charsetProblem(session, command.charset, false);
  if (problem) return problem;
  const records = await matchingSortRecords(session, selected, command.criteria);
  const ordered = sortMessages(records, command.sortCriteria);
  await sendMatches(session, selected, command, 'SORT', command.returnOptions, ordered);
  return ok('SORT completed');
}
