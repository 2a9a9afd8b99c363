// SEARCH and UID SEARCH (RFC 3501 6.4.4), with ESEARCH return options (RFC 4731) and the
// MODSEQ key (RFC 7162 3.1.5). CHARSET may be US-ASCII or UTF-8, and none after UTF8=ACCEPT
// (RFC 6855 3). Results only name messages this client has been told about.
import { SELECTED_STATE, bad, no, ok, type CommandHandler, type CommandSession } from '../command-handler.js';
import type { SearchCommand } from '../parser/types.js';
import { toSearchQuery, usesModseq, usesSavedResult } from '../search-query.js';
import { atom, badCharsetCode, formatSequenceSet, type ImapValue } from '../writer/index.js';

const CHARSETS = ['US-ASCII', 'UTF-8'];

/** Finds matching messages. */
export const search: CommandHandler<SearchCommand> = {
  states: SELECTED_STATE,
  async handle(session, command) {
    const { user, selected } = session;
    if (!user || !selected) return bad('No mailbox selected');
    if (command.charset !== null) {
      if (session.isEnabled('UTF8=ACCEPT')) return bad('CHARSET is not allowed after ENABLE UTF8=ACCEPT');
      if (!CHARSETS.includes(command.charset)) return no('Unsupported charset', badCharsetCode(CHARSETS));
    }
    if (command.returnOptions?.includes('SAVE') || usesSavedResult(command.criteria)) {
      return bad('Saved search results (SEARCHRES) are not supported');
    }
    const withModseq = usesModseq(command.criteria);
    if (withModseq) session.enable('CONDSTORE');
    const found = await session.backend.search(user, selected.id, toSearchQuery(command.criteria, selected));
    // Only messages the client knows of: a new one waits for its EXISTS.
    const uids = found.filter((uid) => selected.sequenceOf(uid) > 0);
    const numbers = command.uid ? uids : uids.map((uid) => selected.sequenceOf(uid));
    const highestModseq = withModseq && uids.length ? await highestModseqOf(session, uids) : null;
    if (command.returnOptions) {
      await session.untagged(...esearchResponse(command, numbers, highestModseq));
    } else {
      const values: ImapValue[] = [atom('SEARCH'), ...numbers];
      if (highestModseq !== null) values.push([atom('MODSEQ'), highestModseq]);
      await session.untagged(...values);
    }
    return ok('SEARCH completed');
  },
};

/** `* ESEARCH (TAG "t") [UID] MIN a MAX b COUNT n ALL set [MODSEQ m]` (RFC 4731, RFC 7162 3.1.5). */
function esearchResponse(
  command: SearchCommand,
  numbers: readonly number[],
  highestModseq: number | null,
): ImapValue[] {
  const options = command.returnOptions ?? [];
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

async function highestModseqOf(session: CommandSession, uids: readonly number[]): Promise<number> {
  const { user, selected } = session;
  if (!user || !selected) return 0;
  let highest = 0;
  for await (const message of session.backend.fetch(user, selected.id, uids, { modseq: true })) {
    highest = Math.max(highest, message.modseq ?? 0);
  }
  return highest;
}
