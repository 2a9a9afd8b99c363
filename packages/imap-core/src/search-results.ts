// What SEARCH and SORT share in answering: SAVE into `$` (RFC 5182), the messages the return
// options give back, the `* ESEARCH` response those options ask for (RFC 4731, RFC 5267 3.2), and
// the plain `* SEARCH` / `* SORT` with its MODSEQ (RFC 7162 3.1.5).
import type { CommandSession, TaggedResult } from './command-handler.js';
import type { SearchKey, SearchReturnOption } from './parser/types.js';
import { usesModseq } from './search-query.js';
import { highestModseqOf } from './search-run.js';
import type { SelectedMailbox } from './selected-mailbox.js';
import { atom, formatSequenceSet, type ImapValue } from './writer/index.js';

/**
 * Runs a SEARCH or SORT; when it was to SAVE and fails (a NO or BAD, or a throw), `$` is left
 * empty (RFC 5182 2.1).
 */
export async function emptyingSavedResultOnFailure(
  session: CommandSession,
  returnOptions: readonly SearchReturnOption[] | null | undefined,
  run: () => Promise<TaggedResult>,
): Promise<TaggedResult> {
  const saving = returnOptions?.includes('SAVE') ?? false;
  try {
    const result = await run();
    if (saving && result.status !== 'OK') session.selected?.saveResult([]);
    return result;
  } catch (error) {
    if (saving) session.selected?.saveResult([]);
    throw error;
  }
}

/**
 * Sends the matches of a SEARCH or SORT, `uids` in answer order (ascending for SEARCH, sort order
 * for SORT). With return options: SAVE into `$` and/or `* ESEARCH` (SAVE alone answers none,
 * RFC 5182 2.4); without: `* SEARCH` or `* SORT`, followed by the highest MODSEQ when a MODSEQ
 * key was used (RFC 7162 3.1.5, sort-data).
 */
export async function sendMatches(
  session: CommandSession,
  selected: SelectedMailbox,
  command: { readonly tag: string; readonly uid: boolean; readonly criteria: readonly SearchKey[] },
  answer: 'SEARCH' | 'SORT',
  options: readonly SearchReturnOption[] | null,
  uids: readonly number[],
): Promise<void> {
  const numbers = command.uid ? uids : uids.map((uid) => selected.sequenceOf(uid));
  const withModseq = usesModseq(command.criteria);
  if (options) {
    const returned = returnedUids(options, uids);
    if (options.includes('SAVE')) selected.saveResult(returned);
    if (options.some((option) => option !== 'SAVE')) {
      const highest = withModseq ? await highestModseqOf(session, selected, returned) : 0;
      await session.untagged(...esearchResponse(command, options, numbers, highest));
    }
  } else {
    const values: ImapValue[] = [atom(answer), ...numbers];
    const highest = withModseq ? await highestModseqOf(session, selected, uids) : 0;
    if (highest) values.push([atom('MODSEQ'), highest]);
    await session.untagged(...values);
  }
}

/**
 * The messages the return options give back: with MIN and/or MAX alone only the first and/or
 * last of `uids` (ascending for SEARCH, in sort order for SORT), else all of them. Both `$`
 * (RFC 5182 2.4) and the MODSEQ result (RFC 4731 3.2) are about these.
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

/**
 * `* ESEARCH (TAG "t") [UID] MIN a MAX b COUNT n ALL set [MODSEQ m]` (RFC 4731, RFC 7162 3.1.5).
 * MIN and MAX are the first and last of `numbers` and ALL keeps their order: for SEARCH, ascending
 * gives the lowest and highest (RFC 4731 3.1); for SORT, the sort order (RFC 5267 3.2). No MODSEQ
 * when `highestModseq` is 0.
 */
function esearchResponse(
  command: { readonly tag: string; readonly uid: boolean },
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
