// What SEARCH and SORT share in answering: SAVE into `$` (RFC 5182), the messages the return
// options give back, and the `* ESEARCH` response those options ask for (RFC 4731, RFC 5267 3.2).
import type { CommandSession, TaggedResult } from './command-handler.js';
import type { SearchReturnOption } from './parser/types.js';
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
 * The messages the return options give back: with MIN and/or MAX alone only the first and/or
 * last of `uids` (ascending for SEARCH, in sort order for SORT), else all of them. Both `$`
 * (RFC 5182 2.4) and the MODSEQ result (RFC 4731 3.2) are about these.
 */
export function returnedUids(options: readonly SearchReturnOption[], uids: readonly number[]): number[] {
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
 * MIN and MAX are the first and last of `numbers` and ALL keeps their order, so SEARCH passes
 * them ascending and SORT in sort order (RFC 5267 3.2). No MODSEQ when `highestModseq` is 0.
 */
export function esearchResponse(
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
