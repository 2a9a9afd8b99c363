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
import { usesModseq } from '../search-query.js';
import { emptyingSavedResultOnFailure, esearchResponse, returnedUids } from '../search-results.js';
import { charsetProblem, highestModseqOf, matchingSortRecords } from '../search-run.js';
import { sortMessages } from '../sort/sort-messages.js';
import { atom, type ImapValue } from '../writer/index.js';

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
  const numbers = command.uid ? ordered : ordered.map((uid) => selected.sequenceOf(uid));
  const withModseq = usesModseq(command.criteria);
  const options = command.returnOptions;
  if (options) {
    const returned = returnedUids(options, ordered);
    if (options.includes('SAVE')) selected.saveResult(returned);
    if (options.some((option) => option !== 'SAVE')) {
      const highest = withModseq ? await highestModseqOf(session, selected, returned) : 0;
      await session.untagged(...esearchResponse(command, options, numbers, highest));
    }
  } else {
    const values: ImapValue[] = [atom('SORT'), ...numbers];
    // RFC 7162 3.1.5 (sort-data): the highest MODSEQ follows when a MODSEQ key was used
    const highest = withModseq ? await highestModseqOf(session, selected, ordered) : 0;
    if (highest) values.push([atom('MODSEQ'), highest]);
    await session.untagged(...values);
  }
  return ok('SORT completed');
}
