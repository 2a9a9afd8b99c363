// THREAD and UID THREAD (RFC 5256 4): ORDEREDSUBJECT and REFERENCES, over the backend's small
// sort records (Message-ID, References, In-Reply-To, subject, dates).
import { SELECTED_STATE, bad, ok, type CommandHandler } from '../command-handler.js';
import type { ThreadCommand } from '../parser/types.js';
import { charsetProblem, matchingSortRecords } from '../search-run.js';
import { formatThreads, threadMessages } from '../sort/threads.js';
import { atom, type ImapValue } from '../writer/index.js';

/** Threads matching messages. */
export const thread: CommandHandler<ThreadCommand> = {
  states: SELECTED_STATE,
  async handle(session, command) {
    const { user, selected } = session;
    if (!user || !selected) return bad('No mailbox selected');
    const problem = charsetProblem(session, command.charset, false);
    if (problem) return problem;
    const records = await matchingSortRecords(session, selected, command.criteria);
    const threads = threadMessages(records, command.algorithm);
    const text = formatThreads(threads, command.uid ? (uid) => uid : (uid) => selected.sequenceOf(uid));
    const values: ImapValue[] = [atom('THREAD')];
    if (text) values.push(atom(text));
    await session.untagged(...values);
    return ok('THREAD completed');
  },
};
