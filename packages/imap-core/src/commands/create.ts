// CREATE (RFC 3501 6.3.3), with one SPECIAL-USE attribute (RFC 6154 CREATE-SPECIAL-USE).
import { AUTHENTICATED_STATES, bad, no, ok, type CommandHandler } from '../command-handler.js';
import { MAILBOX_DELIMITER, type SpecialUse } from '../backend.js';
import type { CreateCommand } from '../parser/types.js';
import { mailboxFailure } from '../response-codes.js';
import { mailboxIdCode } from '../writer/index.js';

const SPECIAL_USES: readonly SpecialUse[] = [
  '\\All',
  '\\Archive',
  '\\Drafts',
  '\\Flagged',
  '\\Junk',
  '\\Sent',
  '\\Trash',
];

/** Creates a mailbox; a trailing delimiter is dropped (the name is a parent-to-be). */
export const create: CommandHandler<CreateCommand> = {
  states: AUTHENTICATED_STATES,
  async handle(session, command) {
    const user = session.user;
    if (!user) return bad('Not logged in');
    const path = command.mailbox.endsWith(MAILBOX_DELIMITER) ? command.mailbox.slice(0, -1) : command.mailbox;
    if (!isValidPath(path)) return bad('Invalid mailbox name: empty hierarchy levels are not allowed');
    if (path === 'INBOX') return no('INBOX always exists', 'ALREADYEXISTS');
    if (command.specialUse.length > 1) return no('Only one special-use attribute per mailbox', 'USEATTR');
    let specialUse: SpecialUse | undefined;
    if (command.specialUse.length === 1) {
      specialUse = SPECIAL_USES.find((use) => use.toLowerCase() === command.specialUse[0]?.toLowerCase());
      if (!specialUse) return no(`Unknown special-use attribute ${command.specialUse[0]}`, 'USEATTR');
    }
    const result = await session.backend.createMailbox(user, path, specialUse ? { specialUse } : {});
    if (!result.ok) return mailboxFailure(result.code);
    // RFC 8474 OBJECTID: the new mailbox's id
    return ok('CREATE completed', result.mailboxId ? mailboxIdCode(result.mailboxId) : undefined);
  },
};

/** A path with no empty levels (`a//b`, `/a`). */
export function isValidPath(path: string): boolean {
  return path.length > 0 && path.split(MAILBOX_DELIMITER).every((level) => level.length > 0);
}
