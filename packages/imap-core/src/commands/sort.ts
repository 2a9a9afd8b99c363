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
import type { SearchReturnOption, SortCommand } from '../parser/types.js';
import { usesModseq } from '../search-query.js';
import { charsetProblem, highestModseqOf, matchingUids } from '../search-run.js';
import { sortMessages } from '../sort/sort-messages.js';
import { atom, formatSequenceSet, type ImapValue } from '../writer/index.js';

/** Sorts matching messages. */
export const sort: CommandHandler<SortCommand> = {
  states: SELECTED_STATE,
  async handle(session, command) {
    const saving = command.returnOptions?.includes('SAVE') ?? false;
    try {
      const result = await runSort(session, command);
      // RFC 5182 2.1: a command that was to SAVE and failed leaves `$` empty
      if (saving && result.status !== 'OK') session.selected?.saveResult([]);
      return result;
    } catch (error) {
      if (saving) session.selected?.saveResult([]);
      throw error;
    }
  },
};

async function runSort(session: CommandSession, command: SortCommand): Promise<TaggedResult> {
  const { user, selected } = session;
  if (!user || !selected) return bad('No mailbox selected');
  const problem = charsetProblem(session, command.charset, false);
  if (problem) return problem;
  const uids = await matchingUids(session, selected, command.criteria);
  const records = uids.length ? await session.backend.sortRecords(user, selected.id, uids) : [];
  const matched = new Set(uids);
  const ordered = sortMessages(
    records.filter((record) => matched.has(record.uid)),
    command.sortCriteria,
  );
  const numbers = command.uid ? ordered : ordered.map((uid) => selected.sequenceOf(uid));
  const withModseq = usesModseq(command.criteria);
  const options = command.returnOptions;
  if (options) {
    const returned = returnedInOrder(options, ordered);
    if (options.includes('SAVE')) selected.saveResult(returned);
    if (options.some((option) => option !== 'SAVE')) {
      const highest = withModseq ? await highestModseqOf(session, selected, returned) : 0;
      await session.untagged(...esortResponse(command, options, numbers, highest));
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

/** What MIN and/or MAX alone give back (first and last in sort order), else everything. */
function returnedInOrder(options: readonly SearchReturnOption[], ordered: readonly number[]): number[] {
  const min = options.includes('MIN');
  const max = options.includes('MAX');
  if (options.includes('ALL') || options.includes('COUNT') || (!min && !max)) return [...ordered];
  const picked = new Set<number>();
  if (min && ordered.length) picked.add(ordered[0] as number);
  if (max && ordered.length) picked.add(ordered[ordered.length - 1] as number);
  return [...picked];
}

/** `* ESEARCH (TAG "t") [UID] MIN a MAX b COUNT n ALL set [MODSEQ m]`, in sort order (RFC 5267 3.2). */
function esortResponse(
  command: SortCommand,
  options: readonly SearchReturnOption[],
  numbers: readonly number[],
  highestModseq: number,
): ImapValue[] {
  const values: ImapValue[] = [atom('ESEARCH'), [atom('TAG'), command.tag]];
  if (command.uid) values.push(atom('UID'));
  if (options.includes('MIN') && numbers.length) values.push(atom('MIN'), numbers[0] as number);
  if (options.includes('MAX') && numbers.length)
    values.push(atom('MAX'), numbers[numbers.length - 1] as number);
  if (options.includes('COUNT')) values.push(atom('COUNT'), numbers.length);
  if (options.includes('ALL') && numbers.length) values.push(atom('ALL'), atom(formatSequenceSet(numbers)));
  if (highestModseq) values.push(atom('MODSEQ'), highestModseq);
  return values;
}
